"""Oracle of the devhuman2_vowel_positions_enum case (missing logic): half the tests given, half held out."""

from selfheal import Call, Example  # noqa: F401

KIND = 'wrong'
TAGS = ('dev-human', 'missing logic', 'validation')

FUNCTION = 'vowel_positions'


def oracle(mod):
    return {"examples": [
        (('Apple',), [0, 4]),
        (('sky',), []),
        (('EAt',), [0, 1]),
    ]}


def fresh(mod):
    return [('banana',), ('OO',), ('',)]

"""Oracle of the devhuman_count_vowels_upper case (missing logic): half the tests given, half held out."""

from selfheal import Call, Example  # noqa: F401

KIND = 'wrong'
TAGS = ('dev-human', 'missing logic')

FUNCTION = 'count_vowels'


def oracle(mod):
    return {"examples": [
        (('Apple',), 2),
        (('sky',), 0),
        (('AEIOU',), 5),
    ]}


def fresh(mod):
    return [('banana',), ('Queue',), ('',)]

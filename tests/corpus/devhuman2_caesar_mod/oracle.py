"""Oracle of the devhuman2_caesar_mod case (missing logic): half the tests given, half held out."""

from selfheal import Call, Example  # noqa: F401

KIND = 'wrong'
TAGS = ('dev-human', 'missing logic', 'validation')

FUNCTION = 'shift_letters'


def oracle(mod):
    return {"examples": [
        (('abc', 1), 'bcd'),
        (('xyz', 3), 'abc'),
        (('', 5), ''),
    ]}


def fresh(mod):
    return [('z', 1), ('hello', 0), ('ab', 25)]

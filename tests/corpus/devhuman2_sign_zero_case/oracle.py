"""Oracle of the devhuman2_sign_zero_case case (missing logic): half the tests given, half held out."""

from selfheal import Call, Example  # noqa: F401

KIND = 'wrong'
TAGS = ('dev-human', 'missing logic', 'validation')

FUNCTION = 'sign'


def oracle(mod):
    return {"examples": [
        ((5,), 1),
        ((0,), 0),
        ((-3,), -1),
    ]}


def fresh(mod):
    return [(1,), (-1,), (100,)]

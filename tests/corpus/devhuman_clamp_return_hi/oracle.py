"""Oracle of the devhuman_clamp_return_hi case (variable misuse): half the tests given, half held out."""

from selfheal import Call, Example  # noqa: F401

KIND = 'wrong'
TAGS = ('dev-human', 'variable misuse')

FUNCTION = 'clamp'


def oracle(mod):
    return {"examples": [
        ((5, 0, 3), 3),
        ((-1, 0, 3), 0),
        ((2, 0, 3), 2),
    ]}


def fresh(mod):
    return [(10, 5, 8), (6, 5, 8), (0, 0, 0)]

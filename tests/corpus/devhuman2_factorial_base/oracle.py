"""Oracle of the devhuman2_factorial_base case (value misuse): half the tests given, half held out."""

from selfheal import Call, Example  # noqa: F401

KIND = 'wrong'
TAGS = ('dev-human', 'value misuse', 'validation')

FUNCTION = 'factorial'


def oracle(mod):
    return {"examples": [
        ((0,), 1),
        ((3,), 6),
        ((1,), 1),
    ]}


def fresh(mod):
    return [(5,), (4,), (2,)]

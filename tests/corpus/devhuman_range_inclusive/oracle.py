"""Oracle of the devhuman_range_inclusive case (value misuse): half the tests given, half held out."""

from selfheal import Call, Example  # noqa: F401

KIND = 'wrong'
TAGS = ('dev-human', 'value misuse')

FUNCTION = 'evens_between'


def oracle(mod):
    return {"examples": [
        ((1, 4), [2, 4]),
        ((2, 2), [2]),
        ((3, 3), []),
    ]}


def fresh(mod):
    return [(0, 6), (5, 9), (7, 8)]

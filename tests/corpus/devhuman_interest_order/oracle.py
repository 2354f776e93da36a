"""Oracle of the devhuman_interest_order case (operator misuse): half the tests given, half held out."""

from selfheal import Call, Example  # noqa: F401

KIND = 'wrong'
TAGS = ('dev-human', 'operator misuse')

FUNCTION = 'compound'


def oracle(mod):
    return {"examples": [
        ((100, 0.1, 2), 121.0),
        ((100, 0.0, 5), 100.0),
        ((50, 0.5, 1), 75.0),
    ]}


def fresh(mod):
    return [(10, 1.0, 3), (200, 0.05, 0), (1, 0.1, 3)]

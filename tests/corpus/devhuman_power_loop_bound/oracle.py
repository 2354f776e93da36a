"""Oracle of the devhuman_power_loop_bound case (value misuse): half the tests given, half held out."""

from selfheal import Call, Example  # noqa: F401

KIND = 'wrong'
TAGS = ('dev-human', 'value misuse')

FUNCTION = 'power'


def oracle(mod):
    return {"examples": [
        ((2, 3), 8),
        ((5, 0), 1),
        ((3, 1), 3),
    ]}


def fresh(mod):
    return [(2, 10), (7, 2), (1, 5)]

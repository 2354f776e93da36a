"""Oracle of the devhuman_distance_abs case (missing logic): half the tests given, half held out."""

from selfheal import Call, Example  # noqa: F401

KIND = 'wrong'
TAGS = ('dev-human', 'missing logic')

FUNCTION = 'gap'


def oracle(mod):
    return {"examples": [
        ((5, 2), 3),
        ((2, 5), 3),
        ((0, 0), 0),
    ]}


def fresh(mod):
    return [(-3, 4), (10, -1), (7, 9)]

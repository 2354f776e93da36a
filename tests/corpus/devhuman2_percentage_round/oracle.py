"""Oracle of the devhuman2_percentage_round case (missing logic): half the tests given, half held out."""

from selfheal import Call, Example  # noqa: F401

KIND = 'wrong'
TAGS = ('dev-human', 'missing logic', 'validation')

FUNCTION = 'percent'


def oracle(mod):
    return {"examples": [
        ((1, 4), 25.0),
        ((1, 3), 33.3),
        ((2, 2), 100.0),
    ]}


def fresh(mod):
    return [(0, 5), (2, 3), (5, 8)]

"""Oracle of the devhuman2_max_gap_abs case (missing logic): half the tests given, half held out."""

from selfheal import Call, Example  # noqa: F401

KIND = 'wrong'
TAGS = ('dev-human', 'missing logic', 'validation')

FUNCTION = 'largest_step'


def oracle(mod):
    return {"examples": [
        (([1, 5, 2],), 4),
        (([9, 1],), 8),
        (([],), 0),
    ]}


def fresh(mod):
    return [([3, 3],), ([0, 10, 4, 20],), ([5, 4, 3],)]

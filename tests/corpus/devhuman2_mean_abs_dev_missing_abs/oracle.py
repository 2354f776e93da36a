"""Oracle of the devhuman2_mean_abs_dev_missing_abs case (missing logic): half the tests given, half held out."""

from selfheal import Call, Example  # noqa: F401

KIND = 'wrong'
TAGS = ('dev-human', 'missing logic', 'validation')

FUNCTION = 'spread'


def oracle(mod):
    return {"examples": [
        (([1, 3],), 1.0),
        (([5],), 0.0),
        (([2, 2, 2],), 0.0),
    ]}


def fresh(mod):
    return [([0, 4],), ([1, 2, 3],), ([10, 0, 10, 0],)]

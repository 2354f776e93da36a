"""Oracle of the devhuman2_positive_sum_filter case (missing logic): half the tests given, half held out."""

from selfheal import Call, Example  # noqa: F401

KIND = 'wrong'
TAGS = ('dev-human', 'missing logic', 'validation')

FUNCTION = 'sum_positive'


def oracle(mod):
    return {"examples": [
        (([1, -2, 3],), 4),
        (([],), 0),
        (([-1, -5],), 0),
    ]}


def fresh(mod):
    return [([4],), ([0, 2, -2],), ([10, 20],)]

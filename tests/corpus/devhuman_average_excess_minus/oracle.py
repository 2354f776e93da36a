"""Oracle of the devhuman_average_excess_minus case (excess logic): half the tests given, half held out."""

from selfheal import Call, Example  # noqa: F401

KIND = 'wrong'
TAGS = ('dev-human', 'excess logic')

FUNCTION = 'mean'


def oracle(mod):
    return {"examples": [
        (([2, 4],), 3.0),
        (([1, 2, 3],), 2.0),
        (([5],), 5.0),
    ]}


def fresh(mod):
    return [([0, 10],), ([1, 1, 1, 1],), ([3, 4, 8],)]

"""Oracle of the devhuman_sum_until_negative case (excess logic): half the tests given, half held out."""

from selfheal import Call, Example  # noqa: F401

KIND = 'wrong'
TAGS = ('dev-human', 'excess logic')

FUNCTION = 'sum_until_negative'


def oracle(mod):
    return {"examples": [
        (([1, 2, -1, 5],), 3),
        (([],), 0),
        (([-1, 4],), 0),
    ]}


def fresh(mod):
    return [([3],), ([2, 2, 2],), ([0, -5],)]

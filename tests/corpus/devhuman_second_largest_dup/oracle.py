"""Oracle of the devhuman_second_largest_dup case (missing logic): half the tests given, half held out."""

from selfheal import Call, Example  # noqa: F401

KIND = 'wrong'
TAGS = ('dev-human', 'missing logic')

FUNCTION = 'second_largest'


def oracle(mod):
    return {"examples": [
        (([1, 3, 2],), 2),
        (([5, 5, 4],), 4),
        (([9, 1],), 1),
    ]}


def fresh(mod):
    return [([2, 8, 8, 8],), ([3, 3, 1, 1],), ([10, 20, 30],)]

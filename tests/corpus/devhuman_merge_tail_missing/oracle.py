"""Oracle of the devhuman_merge_tail_missing case (missing logic): half the tests given, half held out."""

from selfheal import Call, Example  # noqa: F401

KIND = 'wrong'
TAGS = ('dev-human', 'missing logic')

FUNCTION = 'pairwise_sums'


def oracle(mod):
    return {"examples": [
        (([1, 2, 3],), [3, 3]),
        (([1, 2],), [3]),
        (([5],), [5]),
    ]}


def fresh(mod):
    return [([],), ([1, 1, 1, 1, 1],), ([4, 6, 8, 10],)]

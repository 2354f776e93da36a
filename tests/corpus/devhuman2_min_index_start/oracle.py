"""Oracle of the devhuman2_min_index_start case (value misuse): half the tests given, half held out."""

from selfheal import Call, Example  # noqa: F401

KIND = 'wrong'
TAGS = ('dev-human', 'value misuse', 'validation')

FUNCTION = 'index_of_smallest'


def oracle(mod):
    return {"examples": [
        (([3, 1, 2],), 1),
        (([1, 5, 6],), 0),
        (([4, 4],), 0),
    ]}


def fresh(mod):
    return [([9, 8, 7],), ([0, 3],), ([2, 1, 1],)]

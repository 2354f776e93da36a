"""Oracle of the devhuman_index_of_min case (function misuse): half the tests given, half held out."""

from selfheal import Call, Example  # noqa: F401

KIND = 'wrong'
TAGS = ('dev-human', 'function misuse')

FUNCTION = 'argmin'


def oracle(mod):
    return {"examples": [
        (([3, 1, 2],), 1),
        (([5],), 0),
        (([2, 2, 1],), 2),
    ]}


def fresh(mod):
    return [([0, 9, 8],), ([4, 3, 3, 9],), ([7, 6, 5],)]

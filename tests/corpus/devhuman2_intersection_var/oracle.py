"""Oracle of the devhuman2_intersection_var case (variable misuse): half the tests given, half held out."""

from selfheal import Call, Example  # noqa: F401

KIND = 'wrong'
TAGS = ('dev-human', 'variable misuse', 'validation')

FUNCTION = 'common'


def oracle(mod):
    return {"examples": [
        (([1, 2, 3], [2, 3, 4]), [2, 3]),
        (([], [1]), []),
        (([5], [5]), [5]),
    ]}


def fresh(mod):
    return [([1, 1, 2], [2, 2]), ([7, 8], [9]), ([3, 4], [4, 3])]

"""Oracle of the devhuman2_count_positive_var case (variable misuse): half the tests given, half held out."""

from selfheal import Call, Example  # noqa: F401

KIND = 'wrong'
TAGS = ('dev-human', 'variable misuse', 'validation')

FUNCTION = 'count_above'


def oracle(mod):
    return {"examples": [
        (([1, 5, 9], 4), 2),
        (([], 0), 0),
        (([3, 3], 3), 0),
    ]}


def fresh(mod):
    return [([10, 20, 30], 15), ([-1, 0, 1], 0), ([7], 6)]

"""Oracle of the devhuman2_rotate_left_slice case (value misuse): half the tests given, half held out."""

from selfheal import Call, Example  # noqa: F401

KIND = 'wrong'
TAGS = ('dev-human', 'value misuse', 'validation')

FUNCTION = 'rotate'


def oracle(mod):
    return {"examples": [
        (([1, 2, 3], 1), [2, 3, 1]),
        (([1, 2, 3], 0), [1, 2, 3]),
        (([], 2), []),
    ]}


def fresh(mod):
    return [([4, 5], 3), ([1, 2, 3, 4], 2), ([9], 5)]

"""Oracle of the devhuman2_sum_of_squares_op case (operator misuse): half the tests given, half held out."""

from selfheal import Call, Example  # noqa: F401

KIND = 'wrong'
TAGS = ('dev-human', 'operator misuse', 'validation')

FUNCTION = 'sum_of_squares'


def oracle(mod):
    return {"examples": [
        ((1,), 1),
        ((3,), 14),
        ((0,), 0),
    ]}


def fresh(mod):
    return [(2,), (4,), (5,)]

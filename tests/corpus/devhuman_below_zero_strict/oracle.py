"""Oracle of the devhuman_below_zero_strict case (operator misuse): half the tests given, half held out."""

from selfheal import Call, Example  # noqa: F401

KIND = 'wrong'
TAGS = ('dev-human', 'operator misuse')

FUNCTION = 'ever_overdrawn'


def oracle(mod):
    return {"examples": [
        (([5, -5],), False),
        (([1, -2],), True),
        (([],), False),
    ]}


def fresh(mod):
    return [([3, -1, -3],), ([10, -10, 5],), ([-1],)]

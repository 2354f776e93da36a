"""Oracle of the devhuman2_is_sorted_compare case (operator misuse): half the tests given, half held out."""

from selfheal import Call, Example  # noqa: F401

KIND = 'wrong'
TAGS = ('dev-human', 'operator misuse', 'validation')

FUNCTION = 'is_sorted'


def oracle(mod):
    return {"examples": [
        (([1, 2, 2, 3],), True),
        (([3, 1],), False),
        (([],), True),
    ]}


def fresh(mod):
    return [([5],), ([1, 1],), ([2, 3, 1],)]

"""Oracle of the devhuman_middle_even case (missing logic): half the tests given, half held out."""

from selfheal import Call, Example  # noqa: F401

KIND = 'wrong'
TAGS = ('dev-human', 'missing logic')

FUNCTION = 'middle'


def oracle(mod):
    return {"examples": [
        (([3, 1, 2],), 2),
        (([4, 1, 3, 2],), 2.5),
        (([5],), 5),
    ]}


def fresh(mod):
    return [([1, 2],), ([9, 7, 8, 6, 5],), ([10, 20, 30, 40],)]

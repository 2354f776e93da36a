"""Oracle of the devhuman_remove_dupes_order case (function misuse): half the tests given, half held out."""

from selfheal import Call, Example  # noqa: F401

KIND = 'wrong'
TAGS = ('dev-human', 'function misuse')

FUNCTION = 'dedupe'


def oracle(mod):
    return {"examples": [
        (([1, 2, 1, 3],), [1, 2, 3]),
        (([],), []),
        (([4, 4],), [4]),
    ]}


def fresh(mod):
    return [([3, 2, 1],), ([5, 6, 5, 6, 7],), ([9],)]

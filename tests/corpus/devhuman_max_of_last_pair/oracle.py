"""Oracle of the devhuman_max_of_last_pair case (variable misuse): half the tests given, half held out."""

from selfheal import Call, Example  # noqa: F401

KIND = 'wrong'
TAGS = ('dev-human', 'variable misuse')

FUNCTION = 'rolling_peak'


def oracle(mod):
    return {"examples": [
        (([1, 3, 2],), [1, 3, 3]),
        (([4, 1, 1],), [4, 4, 1]),
        (([],), []),
    ]}


def fresh(mod):
    return [([2, 5, 1, 0],), ([7],), ([1, 2, 3],)]

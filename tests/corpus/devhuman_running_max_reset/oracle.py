"""Oracle of the devhuman_running_max_reset case (variable misuse): half the tests given, half held out."""

from selfheal import Call, Example  # noqa: F401

KIND = 'wrong'
TAGS = ('dev-human', 'variable misuse')

FUNCTION = 'running_max'


def oracle(mod):
    return {"examples": [
        (([1, 3, 2],), [1, 3, 3]),
        (([5, 4, 6],), [5, 5, 6]),
        (([],), []),
    ]}


def fresh(mod):
    return [([2, 2, 1, 7],), ([-1, -3],), ([9],)]

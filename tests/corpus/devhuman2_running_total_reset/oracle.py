"""Oracle of the devhuman2_running_total_reset case (excess logic): half the tests given, half held out."""

from selfheal import Call, Example  # noqa: F401

KIND = 'wrong'
TAGS = ('dev-human', 'excess logic', 'validation')

FUNCTION = 'running_totals'


def oracle(mod):
    return {"examples": [
        (([1, 2, 3],), [1, 3, 6]),
        (([],), []),
        (([5],), [5]),
    ]}


def fresh(mod):
    return [([1, -1],), ([2, 2, 2, 2],), ([0, 7],)]

"""Oracle of the devhuman2_even_index_step case (value misuse): half the tests given, half held out."""

from selfheal import Call, Example  # noqa: F401

KIND = 'wrong'
TAGS = ('dev-human', 'value misuse', 'validation')

FUNCTION = 'every_other'


def oracle(mod):
    return {"examples": [
        (([1, 2, 3, 4],), [1, 3]),
        (([],), []),
        (([5],), [5]),
    ]}


def fresh(mod):
    return [([1, 2],), ([7, 8, 9],), ([0, 0, 1, 1, 2],)]

"""Oracle of the devhuman_chunk_step case (value misuse): half the tests given, half held out."""

from selfheal import Call, Example  # noqa: F401

KIND = 'wrong'
TAGS = ('dev-human', 'value misuse')

FUNCTION = 'chunks'


def oracle(mod):
    return {"examples": [
        (([1, 2, 3, 4], 2), [[1, 2], [3, 4]]),
        (([1, 2, 3], 2), [[1, 2], [3]]),
        (([], 3), []),
    ]}


def fresh(mod):
    return [([1], 1), ([1, 2, 3, 4, 5, 6], 3), ([7, 8, 9], 1)]

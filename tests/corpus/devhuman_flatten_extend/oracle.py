"""Oracle of the devhuman_flatten_extend case (function misuse): half the tests given, half held out."""

from selfheal import Call, Example  # noqa: F401

KIND = 'wrong'
TAGS = ('dev-human', 'function misuse')

FUNCTION = 'flatten'


def oracle(mod):
    return {"examples": [
        (([[1, 2], [3]],), [1, 2, 3]),
        (([],), []),
        (([[]],), []),
    ]}


def fresh(mod):
    return [([[4], [5], [6]],), ([[1], []],), ([[7, 8, 9]],)]

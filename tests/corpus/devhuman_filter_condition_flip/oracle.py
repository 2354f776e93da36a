"""Oracle of the devhuman_filter_condition_flip case (operator misuse): half the tests given, half held out."""

from selfheal import Call, Example  # noqa: F401

KIND = 'wrong'
TAGS = ('dev-human', 'operator misuse')

FUNCTION = 'positives'


def oracle(mod):
    return {"examples": [
        (([1, -1, 2],), [1, 2]),
        (([],), []),
        (([-5],), []),
    ]}


def fresh(mod):
    return [([0, 3],), ([4, 4, -4],), ([-2, 7, 0],)]

"""Oracle of the devhuman_product_init case (value misuse): half the tests given, half held out."""

from selfheal import Call, Example  # noqa: F401

KIND = 'wrong'
TAGS = ('dev-human', 'value misuse')

FUNCTION = 'product'


def oracle(mod):
    return {"examples": [
        (([2, 3],), 6),
        (([],), 1),
        (([5],), 5),
    ]}


def fresh(mod):
    return [([1, 2, 3, 4],), ([-1, 2],), ([0, 9],)]

"""Oracle of the devprod_stock_level_int_sku case: what the function must do, and fresh held-out inputs."""

from selfheal import Call, Example  # noqa: F401

KIND = 'crash'
TAGS = ('dev-prod',)

FUNCTION = 'stock_level'


def oracle(mod):
    return {"failing": Call(({'42': 5, '7': 0}, 7)), "recorded": [Call(({'42': 5, '7': 0}, '42')), Call(({'1': 3}, '1'))]}


def fresh(mod):
    return [({'9': 1}, 9), ({'9': 1}, '9'), ({'100': 8}, 100)]

"""Oracle of the devprod_restock_threshold case: what the function must do, and fresh held-out inputs."""

from selfheal import Call, Example  # noqa: F401

KIND = 'crash'
TAGS = ('dev-prod',)

FUNCTION = 'restock_needed'


def oracle(mod):
    return {"failing": Call(({'sku': 'C3', 'stock': 4},)), "recorded": [Call(({'sku': 'A1', 'stock': 3, 'threshold': 5},)), Call(({'sku': 'B2', 'stock': 9, 'threshold': 5},))]}


def fresh(mod):
    return [({'stock': 0},), ({'stock': 2, 'threshold': 2},), ({'stock': 1, 'threshold': 7},), ({'stock': 12},)]

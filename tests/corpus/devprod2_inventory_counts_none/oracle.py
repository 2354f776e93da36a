"""Oracle of the devprod2_inventory_counts_none case: what the function must do, and fresh held-out inputs."""

from selfheal import Call, Example  # noqa: F401

KIND = 'crash'
TAGS = ('dev-prod', 'validation')

FUNCTION = 'Inventory.total'


def oracle(mod):
    return {"failing": Call((mod.Inventory(),)), "recorded": [Call((mod.Inventory({'a': 2, 'b': 3}),)), Call((mod.Inventory({}),))]}


def fresh(mod):
    return [(mod.Inventory(),), (mod.Inventory({'z': 9}),)]

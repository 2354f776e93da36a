"""Oracle of the devprod_cart_items_none case: what the function must do, and fresh held-out inputs."""

from selfheal import Call, Example  # noqa: F401

KIND = 'crash'
TAGS = ('dev-prod',)

FUNCTION = 'Cart.count'


def oracle(mod):
    return {"failing": Call((mod.Cart(),)), "recorded": [Call((mod.Cart([{'qty': 2}, {'qty': 1}]),)), Call((mod.Cart([]),))]}


def fresh(mod):
    return [(mod.Cart(),), (mod.Cart([{'qty': 5}]),)]

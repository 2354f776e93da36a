"""Oracle of the devprod2_tax_none case: what the function must do, and fresh held-out inputs."""

from selfheal import Call, Example  # noqa: F401

KIND = 'crash'
TAGS = ('dev-prod', 'validation')

FUNCTION = 'price_with_tax'


def oracle(mod):
    return {"failing": Call(({'price': 20, 'tax': None},)), "recorded": [Call(({'price': 100, 'tax': 0.2},)), Call(({'price': 50, 'tax': 0.1},))]}


def fresh(mod):
    return [({'price': 7, 'tax': None},), ({'price': 10, 'tax': 0.5},)]

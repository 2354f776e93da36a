"""Oracle of the devprod_age_from_form_str case: what the function must do, and fresh held-out inputs."""

from selfheal import Call, Example  # noqa: F401

KIND = 'crash'
TAGS = ('dev-prod',)

FUNCTION = 'is_adult'


def oracle(mod):
    return {"failing": Call(({'age': '17'},)), "recorded": [Call(({'age': 30},)), Call(({'age': 12},))]}


def fresh(mod):
    return [({'age': '18'},), ({'age': '40'},), ({'age': 18},), ({'age': 3},)]

"""Oracle of the devprod2_city_missing case: what the function must do, and fresh held-out inputs."""

from selfheal import Call, Example  # noqa: F401

KIND = 'crash'
TAGS = ('dev-prod', 'validation')

FUNCTION = 'city_of'


def oracle(mod):
    return {"failing": Call(({'zip': '10001'},)), "recorded": [Call(({'city': 'paris', 'zip': '75001'},)), Call(({'city': 'new york'},))]}


def fresh(mod):
    return [({},), ({'city': 'rome'},)]

"""Oracle of the devprod_busiest_hour_empty case: what the function must do, and fresh held-out inputs."""

from selfheal import Call, Example  # noqa: F401

KIND = 'crash'
TAGS = ('dev-prod',)

FUNCTION = 'busiest_hour'


def oracle(mod):
    return {"failing": Call(({},)), "examples": [(({},), None), (({1: 5, 2: 9},), 2)], "recorded": [Call(({9: 14, 10: 30, 11: 2},)), Call(({0: 1},))]}


def fresh(mod):
    return [({},), ({3: 1, 4: 2},)]

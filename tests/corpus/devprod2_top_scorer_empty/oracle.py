"""Oracle of the devprod2_top_scorer_empty case: what the function must do, and fresh held-out inputs."""

from selfheal import Call, Example  # noqa: F401

KIND = 'crash'
TAGS = ('dev-prod', 'validation')

FUNCTION = 'top_scorer'


def oracle(mod):
    return {"failing": Call(({},)), "examples": [(({},), None)], "recorded": [Call(({'ann': 3, 'bo': 7},)), Call(({'cy': 1},))]}


def fresh(mod):
    return [({},), ({'p': 2, 'q': 1},)]

"""Oracle of the devprod_display_name_missing case: what the function must do, and fresh held-out inputs."""

from selfheal import Call, Example  # noqa: F401

KIND = 'crash'
TAGS = ('dev-prod',)

FUNCTION = 'display_name'


def oracle(mod):
    return {"failing": Call(({'login': 'cy', 'profile': {}},)), "recorded": [Call(({'login': 'ann', 'profile': {'display': 'Ann B.'}},)), Call(({'login': 'bo', 'profile': {'display': ''}},))]}


def fresh(mod):
    return [({'login': 'x', 'profile': {}},), ({'login': 'y', 'profile': {'display': 'Why'}},), ({'login': 'z', 'profile': {'display': None}},)]

"""Oracle of the devprod_theme_missing_section case: what the function must do, and fresh held-out inputs."""

from selfheal import Call, Example  # noqa: F401

KIND = 'crash'
TAGS = ('dev-prod',)

FUNCTION = 'theme_of'


def oracle(mod):
    return {"failing": Call(({'lang': 'en'},)), "recorded": [Call(({'ui': {'theme': 'dark'}},)), Call(({'ui': {}},))]}


def fresh(mod):
    return [({},), ({'ui': {'theme': 'blue'}},), ({'ui': {'font': 'x'}},)]

"""Oracle of the devprod2_http_section_none case: what the function must do, and fresh held-out inputs."""

from selfheal import Call, Example  # noqa: F401

KIND = 'crash'
TAGS = ('dev-prod', 'validation')

FUNCTION = 'retries'


def oracle(mod):
    return {"failing": Call(({'http': None},)), "recorded": [Call(({'http': {'retries': 5}},)), Call(({},))]}


def fresh(mod):
    return [({'http': None},), ({'http': {}},), ({'http': {'retries': 1}},)]

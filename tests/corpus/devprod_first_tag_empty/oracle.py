"""Oracle of the devprod_first_tag_empty case: what the function must do, and fresh held-out inputs."""

from selfheal import Call, Example  # noqa: F401

KIND = 'crash'
TAGS = ('dev-prod',)

FUNCTION = 'first_tag'


def oracle(mod):
    return {"failing": Call(({'tags': []},)), "examples": [(({'tags': []},), None), (({'tags': ['q']},), 'q')], "recorded": [Call(({'tags': ['news', 'tech']},)), Call(({'tags': ['x']},))]}


def fresh(mod):
    return [({'tags': []},), ({'tags': ['b', 'a']},)]

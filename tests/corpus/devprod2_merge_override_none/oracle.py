"""Oracle of the devprod2_merge_override_none case: what the function must do, and fresh held-out inputs."""

from selfheal import Call, Example  # noqa: F401

KIND = 'crash'
TAGS = ('dev-prod', 'validation')

FUNCTION = 'merge_settings'


def oracle(mod):
    return {"failing": Call(({'a': 1}, None)), "recorded": [Call(({'a': 1}, {'b': 2})), Call(({'a': 1}, {'a': 3}))]}


def fresh(mod):
    return [({}, None), ({'x': 0}, {'y': 1})]

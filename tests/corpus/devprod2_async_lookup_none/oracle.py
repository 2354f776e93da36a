"""Oracle of the devprod2_async_lookup_none case: what the function must do, and fresh held-out inputs."""

from selfheal import Call, Example  # noqa: F401

KIND = 'crash'
TAGS = ('dev-prod', 'validation')

FUNCTION = 'display_for'


def oracle(mod):
    return {"failing": Call((3,)), "examples": [((3,), None)], "recorded": [Call((1,)), Call((2,))]}


def fresh(mod):
    return [(9,), (1,)]

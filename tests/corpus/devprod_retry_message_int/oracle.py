"""Oracle of the devprod_retry_message_int case: what the function must do, and fresh held-out inputs."""

from selfheal import Call, Example  # noqa: F401

KIND = 'crash'
TAGS = ('dev-prod',)

FUNCTION = 'retry_message'


def oracle(mod):
    return {"failing": Call((2, 3)), "recorded": [Call(('1', 3)), Call(('2', 5))]}


def fresh(mod):
    return [(4, 4), ('3', 9), (0, 1)]

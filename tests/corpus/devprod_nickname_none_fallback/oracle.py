"""Oracle of the devprod_nickname_none_fallback case: what the function must do, and fresh held-out inputs."""

from selfheal import Call, Example  # noqa: F401

KIND = 'crash'
TAGS = ('dev-prod',)

FUNCTION = 'greeting'


def oracle(mod):
    return {"failing": Call(({'name': 'cy young', 'nickname': None},)), "recorded": [Call(({'name': 'ann lee', 'nickname': 'annie'},)), Call(({'name': 'bob'},))]}


def fresh(mod):
    return [({'name': 'd e', 'nickname': None},), ({'name': 'x'},), ({'name': 'q', 'nickname': 'zed'},)]

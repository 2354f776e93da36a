"""Oracle of the devprod2_active_flag_missing case: what the function must do, and fresh held-out inputs."""

from selfheal import Call, Example  # noqa: F401

KIND = 'crash'
TAGS = ('dev-prod', 'validation')

FUNCTION = 'active_users'


def oracle(mod):
    return {"failing": Call(([{'name': 'c', 'active': True}, {'name': 'd'}],)), "recorded": [Call(([{'name': 'a', 'active': True}, {'name': 'b', 'active': False}],)), Call(([],))]}


def fresh(mod):
    return [([{'name': 'e'}],), ([{'name': 'f', 'active': True}],)]

"""Oracle of the devprod_duration_missing_minutes case: what the function must do, and fresh held-out inputs."""

from selfheal import Call, Example  # noqa: F401

KIND = 'crash'
TAGS = ('dev-prod',)

FUNCTION = 'total_duration'


def oracle(mod):
    return {"failing": Call(([{'minutes': 10}, {'title': 'call'}],)), "recorded": [Call(([{'minutes': 30}, {'minutes': 15}],)), Call(([],))]}


def fresh(mod):
    return [([{'title': 'x'}],), ([{'minutes': 5}, {'minutes': 6}],), ([{}, {}, {'minutes': 1}],)]

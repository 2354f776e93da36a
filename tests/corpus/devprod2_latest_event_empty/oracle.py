"""Oracle of the devprod2_latest_event_empty case: what the function must do, and fresh held-out inputs."""

from selfheal import Call, Example  # noqa: F401

KIND = 'crash'
TAGS = ('dev-prod', 'validation')

FUNCTION = 'latest_id'


def oracle(mod):
    return {"failing": Call(([],)), "examples": [(([],), None)], "recorded": [Call(([{'id': 'a', 'ts': 3}, {'id': 'b', 'ts': 9}],)), Call(([{'id': 'c', 'ts': 1}],))]}


def fresh(mod):
    return [([],), ([{'id': 'z', 'ts': 5}, {'id': 'y', 'ts': 2}],)]

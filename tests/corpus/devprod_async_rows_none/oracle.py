"""Oracle of the devprod_async_rows_none case: what the function must do, and fresh held-out inputs."""

from selfheal import Call, Example  # noqa: F401

KIND = 'crash'
TAGS = ('dev-prod',)

FUNCTION = 'fetch_total'


def oracle(mod):
    return {"failing": Call(([],)), "recorded": [Call(([1, 2],)), Call(([5],))]}


def fresh(mod):
    return [([],), ([3, 4, 5],)]

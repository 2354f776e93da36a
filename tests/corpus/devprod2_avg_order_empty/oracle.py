"""Oracle of the devprod2_avg_order_empty case: what the function must do, and fresh held-out inputs."""

from selfheal import Call, Example  # noqa: F401

KIND = 'crash'
TAGS = ('dev-prod', 'validation')

FUNCTION = 'average_order'


def oracle(mod):
    return {"failing": Call(([],)), "examples": [(([],), 0.0)], "recorded": [Call(([{'total': 10.0}, {'total': 5.0}],)), Call(([{'total': 3.333}],))]}


def fresh(mod):
    return [([],), ([{'total': 1.0}, {'total': 2.0}, {'total': 4.0}],)]

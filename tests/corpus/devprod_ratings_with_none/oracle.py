"""Oracle of the devprod_ratings_with_none case: what the function must do, and fresh held-out inputs."""

from selfheal import Call, Example  # noqa: F401

KIND = 'crash'
TAGS = ('dev-prod',)

FUNCTION = 'average_rating'


def oracle(mod):
    return {"failing": Call(([{'stars': 3}, {'stars': None}, {'stars': 5}],)), "recorded": [Call(([{'stars': 4}, {'stars': 5}],)), Call(([{'stars': 1}],))]}


def fresh(mod):
    return [([{'stars': 2}, {'stars': None}],), ([{'stars': 5}, {'stars': 3}],), ([{'stars': None}, {'stars': 1}, {'stars': 1}],)]

"""Oracle of the devprod_query_from_pairs case: what the function must do, and fresh held-out inputs."""

from selfheal import Call, Example  # noqa: F401

KIND = 'crash'
TAGS = ('dev-prod',)

FUNCTION = 'to_query'


def oracle(mod):
    return {"failing": Call(([('q', 'hats'), ('sort', 'new')],)), "recorded": [Call(({'q': 'shoes', 'page': 2},)), Call(({},))]}


def fresh(mod):
    return [([('a', 1)],), ({'z': 0},), ([],), ([('x', 'y'), ('x', 'z')],)]

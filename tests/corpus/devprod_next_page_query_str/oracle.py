"""Oracle of the devprod_next_page_query_str case: what the function must do, and fresh held-out inputs."""

from selfheal import Call, Example  # noqa: F401

KIND = 'crash'
TAGS = ('dev-prod',)

FUNCTION = 'next_page'


def oracle(mod):
    return {"failing": Call(({'page': '2'},)), "recorded": [Call(({'page': 3},)), Call(({},))]}


def fresh(mod):
    return [({'page': '10'},), ({'page': 0},), ({'q': 'x'},), ({'page': '1'},)]

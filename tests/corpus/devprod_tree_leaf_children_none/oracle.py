"""Oracle of the devprod_tree_leaf_children_none case: what the function must do, and fresh held-out inputs."""

from selfheal import Call, Example  # noqa: F401

KIND = 'crash'
TAGS = ('dev-prod',)

FUNCTION = 'count_nodes'


def oracle(mod):
    return {"failing": Call(({'children': [{'children': None}]},)), "recorded": [Call(({'children': [{'children': []}, {'children': []}]},)), Call(({'children': []},))]}


def fresh(mod):
    return [({'children': None},), ({'children': [{'children': [{'children': None}]}, {'children': []}]},)]

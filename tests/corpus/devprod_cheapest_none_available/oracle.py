"""Oracle of the devprod_cheapest_none_available case: what the function must do, and fresh held-out inputs."""

from selfheal import Call, Example  # noqa: F401

KIND = 'crash'
TAGS = ('dev-prod',)

FUNCTION = 'cheapest_option'


def oracle(mod):
    return {"failing": Call(([{'price': 4, 'available': False}],)), "examples": [(([{'price': 4, 'available': False}],), None), (([{'price': 6, 'available': True}],), 6)], "recorded": [Call(([{'price': 5, 'available': True}, {'price': 3, 'available': True}],)), Call(([{'price': 7, 'available': True}, {'price': 1, 'available': False}],))]}


def fresh(mod):
    return [([],), ([{'price': 2, 'available': True}],), ([{'price': 9, 'available': False}, {'price': 8, 'available': True}],)]

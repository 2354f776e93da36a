"""Oracle of the devprod_unique_points_lists case: what the function must do, and fresh held-out inputs."""

from selfheal import Call, Example  # noqa: F401

KIND = 'crash'
TAGS = ('dev-prod',)

FUNCTION = 'unique_points'


def oracle(mod):
    return {"failing": Call(([[0, 0], [0, 0], [1, 1]],)), "recorded": [Call(([(1, 2), (1, 2), (3, 4)],)), Call(([],))]}


def fresh(mod):
    return [([[1, 1]],), ([(2, 2), (2, 3)],), ([[5, 6], (5, 6)],)]

"""Oracle of the devprod_parcels_dict_shape case: what the function must do, and fresh held-out inputs."""

from selfheal import Call, Example  # noqa: F401

KIND = 'crash'
TAGS = ('dev-prod',)

FUNCTION = 'total_weight'


def oracle(mod):
    return {"failing": Call(({'box': 1.5, 'tube': 0.5},)), "recorded": [Call(([('box', 2.0), ('crate', 5.5)],)), Call(([],))]}


def fresh(mod):
    return [([('a', 1.0)],), ({'a': 3.0},), ({},), ([('x', 2.5), ('y', 2.5)],)]

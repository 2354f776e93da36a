"""Oracle of the devprod_initials_empty_last case: what the function must do, and fresh held-out inputs."""

from selfheal import Call, Example  # noqa: F401

KIND = 'crash'
TAGS = ('dev-prod',)

FUNCTION = 'initials'


def oracle(mod):
    return {"failing": Call(({'first': 'Cher', 'last': ''},)), "recorded": [Call(({'first': 'ada', 'last': 'lovelace'},)), Call(({'first': 'Alan', 'last': 'Turing'},))]}


def fresh(mod):
    return [({'first': 'grace', 'last': 'hopper'},), ({'first': 'x', 'last': ''},), ({'first': 'Bo', 'last': 'Li'},)]

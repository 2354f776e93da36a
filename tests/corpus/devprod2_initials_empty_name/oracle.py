"""Oracle of the devprod2_initials_empty_name case: what the function must do, and fresh held-out inputs."""

from selfheal import Call, Example  # noqa: F401

KIND = 'crash'
TAGS = ('dev-prod', 'validation')

FUNCTION = 'initials_of'


def oracle(mod):
    return {"failing": Call((['Cy', '', 'Di'],)), "recorded": [Call((['Ada', 'Bo'],)), Call(([],))]}


def fresh(mod):
    return [([''],), (['Ed', 'Flo'],)]

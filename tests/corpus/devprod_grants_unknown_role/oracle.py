"""Oracle of the devprod_grants_unknown_role case: what the function must do, and fresh held-out inputs."""

from selfheal import Call, Example  # noqa: F401

KIND = 'crash'
TAGS = ('dev-prod',)

FUNCTION = 'permissions_for'


def oracle(mod):
    return {"failing": Call(('auditor', {'admin': ['write']})), "recorded": [Call(('admin', {'admin': ['read', 'write'], 'guest': ['read']})), Call(('guest', {'guest': ['read', 'read']}))]}


def fresh(mod):
    return [('x', {}), ('a', {'a': ['z', 'y']}), ('b', {'a': ['q']})]

"""Oracle of the devprod_version_tuple_int_part case: what the function must do, and fresh held-out inputs."""

from selfheal import Call, Example  # noqa: F401

KIND = 'crash'
TAGS = ('dev-prod',)

FUNCTION = 'bump_patch'


def oracle(mod):
    return {"failing": Call(('1.4.2',)), "examples": [(('1.0.0',), '1.0.1')]}


def fresh(mod):
    return [('0.0.0',), ('2.10.9',), ('3.1.41',)]

"""Oracle of the devprod2_megabytes_from_text case: what the function must do, and fresh held-out inputs."""

from selfheal import Call, Example  # noqa: F401

KIND = 'crash'
TAGS = ('dev-prod', 'validation')

FUNCTION = 'to_megabytes'


def oracle(mod):
    return {"failing": Call(('2097152',)), "recorded": [Call((1048576,)), Call((5242880,))]}


def fresh(mod):
    return [('1048576',), (3145728,), ('0',)]

"""Oracle of the devprod2_phone_digits_int case: what the function must do, and fresh held-out inputs."""

from selfheal import Call, Example  # noqa: F401

KIND = 'crash'
TAGS = ('dev-prod', 'validation')

FUNCTION = 'normalize_phone'


def oracle(mod):
    return {"failing": Call((5551234,)), "recorded": [Call(('(555) 123-4567',)), Call(('+44 20 7946',))]}


def fresh(mod):
    return [(42,), ('1-2-3',), (7,)]

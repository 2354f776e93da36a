"""Oracle of the devprod_sku_number_int case: what the function must do, and fresh held-out inputs."""

from selfheal import Call, Example  # noqa: F401

KIND = 'crash'
TAGS = ('dev-prod',)

FUNCTION = 'format_sku'


def oracle(mod):
    return {"failing": Call(('QQ', 77)), "recorded": [Call(('AB', '42')), Call(('ZX', '1234567'))]}


def fresh(mod):
    return [('AB', 5), ('C', '9'), ('D', 123456), ('E', '')]

"""Oracle of the devprod2_amount_format_text case: what the function must do, and fresh held-out inputs."""

from selfheal import Call, Example  # noqa: F401

KIND = 'crash'
TAGS = ('dev-prod', 'validation')

FUNCTION = 'format_amount'


def oracle(mod):
    return {"failing": Call(('1234.5',)), "recorded": [Call((1234.5,)), Call((3,))]}


def fresh(mod):
    return [('7',), (0.125,)]

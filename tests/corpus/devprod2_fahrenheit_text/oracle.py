"""Oracle of the devprod2_fahrenheit_text case: what the function must do, and fresh held-out inputs."""

from selfheal import Call, Example  # noqa: F401

KIND = 'crash'
TAGS = ('dev-prod', 'validation')

FUNCTION = 'to_celsius'


def oracle(mod):
    return {"failing": Call(({'f': '98.6'},)), "recorded": [Call(({'f': 212},)), Call(({'f': 32},))]}


def fresh(mod):
    return [({'f': '50'},), ({'f': 41},)]

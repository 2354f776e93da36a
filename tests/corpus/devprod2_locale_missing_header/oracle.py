"""Oracle of the devprod2_locale_missing_header case: what the function must do, and fresh held-out inputs."""

from selfheal import Call, Example  # noqa: F401

KIND = 'crash'
TAGS = ('dev-prod', 'validation')

FUNCTION = 'user_locale'


def oracle(mod):
    return {"failing": Call(({'headers': {}},)), "recorded": [Call(({'headers': {'Accept-Language': 'fr-CH,fr;q=0.9'}},)), Call(({'headers': {'Accept-Language': 'de'}},))]}


def fresh(mod):
    return [({'headers': {}},), ({'headers': {'Accept-Language': 'it,en'}},)]

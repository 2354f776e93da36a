"""Oracle of the devprod2_slug_from_bytes case: what the function must do, and fresh held-out inputs."""

from selfheal import Call, Example  # noqa: F401

KIND = 'crash'
TAGS = ('dev-prod', 'validation')

FUNCTION = 'slugify'


def oracle(mod):
    return {"failing": Call((b'Big News Today',)), "recorded": [Call(('Hello World',)), Call(('A',))]}


def fresh(mod):
    return [(b'X Y',), ('p q',)]

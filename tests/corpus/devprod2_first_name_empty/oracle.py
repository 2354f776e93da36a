"""Oracle of the devprod2_first_name_empty case: what the function must do, and fresh held-out inputs."""

from selfheal import Call, Example  # noqa: F401

KIND = 'crash'
TAGS = ('dev-prod', 'validation')

FUNCTION = 'first_name'


def oracle(mod):
    return {"failing": Call(('',)), "recorded": [Call(('Ada Lovelace',)), Call(('Plato',))]}


def fresh(mod):
    return [('',), ('  ',), ('Alan Turing',)]

"""Oracle of the devprod2_header_rows_empty case: what the function must do, and fresh held-out inputs."""

from selfheal import Call, Example  # noqa: F401

KIND = 'crash'
TAGS = ('dev-prod', 'validation')

FUNCTION = 'header_names'


def oracle(mod):
    return {"failing": Call(([],)), "examples": [(([],), [])], "recorded": [Call(([[' id', 'name ']],)), Call(([['a'], ['b']],))]}


def fresh(mod):
    return [([],), ([['x ', 'y']],)]

"""Oracle of the devprod2_word_lengths_none case: what the function must do, and fresh held-out inputs."""

from selfheal import Call, Example  # noqa: F401

KIND = 'crash'
TAGS = ('dev-prod', 'validation')

FUNCTION = 'word_lengths'


def oracle(mod):
    return {"failing": Call((None,)), "recorded": [Call(('big red fox',)), Call(('a bb',))]}


def fresh(mod):
    return [(None,), ('x',), ('one two',)]

"""Oracle of the devhuman2_title_except_small case (function misuse): half the tests given, half held out."""

from selfheal import Call, Example  # noqa: F401

KIND = 'wrong'
TAGS = ('dev-human', 'function misuse', 'validation')

FUNCTION = 'headline'


def oracle(mod):
    return {"examples": [
        (('hello world',), 'Hello World'),
        (('',), ''),
        (('a',), 'A'),
    ]}


def fresh(mod):
    return [('big NEWS',), ('x y',), ('python',)]

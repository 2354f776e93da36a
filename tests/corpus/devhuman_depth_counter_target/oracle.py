"""Oracle of the devhuman_depth_counter_target case (variable misuse): half the tests given, half held out."""

from selfheal import Call, Example  # noqa: F401

KIND = 'wrong'
TAGS = ('dev-human', 'variable misuse')

FUNCTION = 'max_nesting'


def oracle(mod):
    return {"examples": [
        (('(())',), 2),
        (('()()',), 1),
        (('',), 0),
    ]}


def fresh(mod):
    return [('((()))()',), ('(()(()))',), ('x(y)z',)]

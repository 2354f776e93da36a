"""Oracle of the devhuman_swap_case_wrong_method case (function misuse): half the tests given, half held out."""

from selfheal import Call, Example  # noqa: F401

KIND = 'wrong'
TAGS = ('dev-human', 'function misuse')

FUNCTION = 'invert_case'


def oracle(mod):
    return {"examples": [
        (('Hello',), 'hELLO'),
        (('abc',), 'ABC'),
        (('ABC',), 'abc'),
    ]}


def fresh(mod):
    return [('',), ('MiXeD',), ('1a',)]

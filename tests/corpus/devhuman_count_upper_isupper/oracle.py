"""Oracle of the devhuman_count_upper_isupper case (function misuse): half the tests given, half held out."""

from selfheal import Call, Example  # noqa: F401

KIND = 'wrong'
TAGS = ('dev-human', 'function misuse')

FUNCTION = 'count_capitals'


def oracle(mod):
    return {"examples": [
        (('Hello World',), 2),
        (('abc',), 0),
        (('ABC',), 3),
    ]}


def fresh(mod):
    return [('',), ('aBcD',), ('X1y',)]

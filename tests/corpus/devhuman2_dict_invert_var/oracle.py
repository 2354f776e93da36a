"""Oracle of the devhuman2_dict_invert_var case (variable misuse): half the tests given, half held out."""

from selfheal import Call, Example  # noqa: F401

KIND = 'wrong'
TAGS = ('dev-human', 'variable misuse', 'validation')

FUNCTION = 'invert'


def oracle(mod):
    return {"examples": [
        (({'a': 1},), {1: 'a'}),
        (({},), {}),
        (({'x': 'y', 'p': 'q'},), {'y': 'x', 'q': 'p'}),
    ]}


def fresh(mod):
    return [({1: 2},), ({'k': 0},), ({'m': 'n'},)]

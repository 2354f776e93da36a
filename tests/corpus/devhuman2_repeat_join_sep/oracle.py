"""Oracle of the devhuman2_repeat_join_sep case (value misuse): half the tests given, half held out."""

from selfheal import Call, Example  # noqa: F401

KIND = 'wrong'
TAGS = ('dev-human', 'value misuse', 'validation')

FUNCTION = 'repeat_word'


def oracle(mod):
    return {"examples": [
        (('hi', 2), 'hi hi'),
        (('a', 1), 'a'),
        (('x', 0), ''),
    ]}


def fresh(mod):
    return [('go', 3), ('', 2), ('yo', 1)]

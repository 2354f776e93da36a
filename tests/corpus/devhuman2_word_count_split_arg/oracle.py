"""Oracle of the devhuman2_word_count_split_arg case (function misuse): half the tests given, half held out."""

from selfheal import Call, Example  # noqa: F401

KIND = 'wrong'
TAGS = ('dev-human', 'function misuse', 'validation')

FUNCTION = 'word_count'


def oracle(mod):
    return {"examples": [
        (('a b c',), 3),
        (('one',), 1),
        (('',), 0),
    ]}


def fresh(mod):
    return [('  spaced   out ',), ('x  y',), ('hi there you',)]

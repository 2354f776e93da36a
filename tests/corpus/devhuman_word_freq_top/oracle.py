"""Oracle of the devhuman_word_freq_top case (variable misuse): half the tests given, half held out."""

from selfheal import Call, Example  # noqa: F401

KIND = 'wrong'
TAGS = ('dev-human', 'variable misuse')

FUNCTION = 'most_common_word'


def oracle(mod):
    return {"examples": [
        (('a b a',), 'a'),
        (('x',), 'x'),
        (('Red red blue',), 'red'),
    ]}


def fresh(mod):
    return [('',), ('p q q p q',), ('one two',)]

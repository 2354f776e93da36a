"""Oracle of the devhuman_title_words_split case (function misuse): half the tests given, half held out."""

from selfheal import Call, Example  # noqa: F401

KIND = 'wrong'
TAGS = ('dev-human', 'function misuse')

FUNCTION = 'title_words'


def oracle(mod):
    return {"examples": [
        (('hello world',), 'Hello World'),
        (('a',), 'A'),
        (('big  red dog',), 'Big Red Dog'),
    ]}


def fresh(mod):
    return [('',), ('x y',), ('one',)]

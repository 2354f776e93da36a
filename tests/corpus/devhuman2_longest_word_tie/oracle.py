"""Oracle of the devhuman2_longest_word_tie case (operator misuse): half the tests given, half held out."""

from selfheal import Call, Example  # noqa: F401

KIND = 'wrong'
TAGS = ('dev-human', 'operator misuse', 'validation')

FUNCTION = 'longest_word'


def oracle(mod):
    return {"examples": [
        (('a bb cc',), 'bb'),
        (('',), ''),
        (('one two six',), 'one'),
    ]}


def fresh(mod):
    return [('hello',), ('ab cd ef',), ('x yy z',)]

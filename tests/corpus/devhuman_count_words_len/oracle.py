"""Oracle of the devhuman_count_words_len case (value misuse): half the tests given, half held out."""

from selfheal import Call, Example  # noqa: F401

KIND = 'wrong'
TAGS = ('dev-human', 'value misuse')

FUNCTION = 'long_words'


def oracle(mod):
    return {"examples": [
        (('a bb ccc', 2), ['ccc']),
        (('hello there', 5), []),
        (('x', 0), ['x']),
    ]}


def fresh(mod):
    return [('red green blue', 3), ('', 1), ('tiny', 3)]

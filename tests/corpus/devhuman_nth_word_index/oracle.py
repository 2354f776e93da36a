"""Oracle of the devhuman_nth_word_index case (value misuse): half the tests given, half held out."""

from selfheal import Call, Example  # noqa: F401

KIND = 'wrong'
TAGS = ('dev-human', 'value misuse')

FUNCTION = 'nth_word'


def oracle(mod):
    return {"examples": [
        (('a b c', 1), 'a'),
        (('a b c', 3), 'c'),
        (('hello', 1), 'hello'),
    ]}


def fresh(mod):
    return [('x y', 2), ('one two three four', 2), ('p q r', 2)]

"""Oracle of the devhuman2_capitalize_words_excess case (excess logic): half the tests given, half held out."""

from selfheal import Call, Example  # noqa: F401

KIND = 'wrong'
TAGS = ('dev-human', 'excess logic', 'validation')

FUNCTION = 'capitalize_words'


def oracle(mod):
    return {"examples": [
        (('hello world',), 'Hello World'),
        (('a cat',), 'A Cat'),
        (('',), ''),
    ]}


def fresh(mod):
    return [('i am',), ('one',), ('x y z',)]

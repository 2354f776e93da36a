"""Oracle of the devhuman_reverse_excess case (excess logic): half the tests given, half held out."""

from selfheal import Call, Example  # noqa: F401

KIND = 'wrong'
TAGS = ('dev-human', 'excess logic')

FUNCTION = 'reverse_words'


def oracle(mod):
    return {"examples": [
        (('a b c',), 'c b a'),
        (('one',), 'one'),
        (('',), ''),
    ]}


def fresh(mod):
    return [('x y',), ('go now please',), ('p q r s',)]

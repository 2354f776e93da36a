"""Oracle of the devhuman_vowel_start_extra case (excess logic): half the tests given, half held out."""

from selfheal import Call, Example  # noqa: F401

KIND = 'wrong'
TAGS = ('dev-human', 'excess logic')

FUNCTION = 'starts_with_vowel'


def oracle(mod):
    return {"examples": [
        (('apple',), True),
        (('a',), True),
        (('tree',), False),
    ]}


def fresh(mod):
    return [('',), ('Echo',), ('I',)]

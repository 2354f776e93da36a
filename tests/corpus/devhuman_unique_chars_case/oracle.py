"""Oracle of the devhuman_unique_chars_case case (missing logic): half the tests given, half held out."""

from selfheal import Call, Example  # noqa: F401

KIND = 'wrong'
TAGS = ('dev-human', 'missing logic')

FUNCTION = 'distinct_letters'


def oracle(mod):
    return {"examples": [
        (('Aa',), 1),
        (('abc',), 3),
        (('Mississippi',), 4),
    ]}


def fresh(mod):
    return [('',), ('AbBa',), ('zzZ',)]

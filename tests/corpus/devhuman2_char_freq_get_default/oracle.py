"""Oracle of the devhuman2_char_freq_get_default case (value misuse): half the tests given, half held out."""

from selfheal import Call, Example  # noqa: F401

KIND = 'wrong'
TAGS = ('dev-human', 'value misuse', 'validation')

FUNCTION = 'char_counts'


def oracle(mod):
    return {"examples": [
        (('aab',), {'a': 2, 'b': 1}),
        (('',), {}),
        (('x',), {'x': 1}),
    ]}


def fresh(mod):
    return [('abab',), ('zzz',), ('qr',)]

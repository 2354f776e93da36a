"""Oracle of the devhuman_count_char_var case (variable misuse): half the tests given, half held out."""

from selfheal import Call, Example  # noqa: F401

KIND = 'wrong'
TAGS = ('dev-human', 'variable misuse')

FUNCTION = 'count_char'


def oracle(mod):
    return {"examples": [
        (('banana', 'a'), 3),
        (('', 'x'), 0),
        (('aaa', 'a'), 3),
    ]}


def fresh(mod):
    return [('abc', 'z'), ('mississippi', 's'), ('a', 'a')]

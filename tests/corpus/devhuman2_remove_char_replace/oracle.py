"""Oracle of the devhuman2_remove_char_replace case (function misuse): half the tests given, half held out."""

from selfheal import Call, Example  # noqa: F401

KIND = 'wrong'
TAGS = ('dev-human', 'function misuse', 'validation')

FUNCTION = 'strip_char'


def oracle(mod):
    return {"examples": [
        (('a-b-c', '-'), 'abc'),
        (('--x--', '-'), 'x'),
        (('', 'a'), ''),
    ]}


def fresh(mod):
    return [('banana', 'a'), ('xyx', 'y'), ('q', 'q')]

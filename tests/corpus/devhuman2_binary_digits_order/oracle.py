"""Oracle of the devhuman2_binary_digits_order case (missing logic): half the tests given, half held out."""

from selfheal import Call, Example  # noqa: F401

KIND = 'wrong'
TAGS = ('dev-human', 'missing logic', 'validation')

FUNCTION = 'to_binary'


def oracle(mod):
    return {"examples": [
        ((6,), '110'),
        ((0,), '0'),
        ((1,), '1'),
    ]}


def fresh(mod):
    return [(8,), (5,), (11,)]

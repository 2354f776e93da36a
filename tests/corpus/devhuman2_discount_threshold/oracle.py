"""Oracle of the devhuman2_discount_threshold case (value misuse): half the tests given, half held out."""

from selfheal import Call, Example  # noqa: F401

KIND = 'wrong'
TAGS = ('dev-human', 'value misuse', 'validation')

FUNCTION = 'discount'


def oracle(mod):
    return {"examples": [
        ((100,), 90.0),
        ((50,), 50),
        ((200,), 180.0),
    ]}


def fresh(mod):
    return [(99,), (150,), (0,)]

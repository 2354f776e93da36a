"""Oracle of the devhuman2_gcd_operands case (variable misuse): half the tests given, half held out."""

from selfheal import Call, Example  # noqa: F401

KIND = 'wrong'
TAGS = ('dev-human', 'variable misuse', 'validation')

FUNCTION = 'gcd'


def oracle(mod):
    return {"examples": [
        ((12, 8), 4),
        ((7, 3), 1),
        ((5, 0), 5),
    ]}


def fresh(mod):
    return [(9, 6), (100, 10), (17, 17)]

"""Oracle of the devhuman_leap_century case (missing logic): half the tests given, half held out."""

from selfheal import Call, Example  # noqa: F401

KIND = 'wrong'
TAGS = ('dev-human', 'missing logic')

FUNCTION = 'is_leap'


def oracle(mod):
    return {"examples": [
        ((2000,), True),
        ((1900,), False),
        ((2024,), True),
    ]}


def fresh(mod):
    return [(2023,), (2400,), (2100,)]

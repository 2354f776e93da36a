"""Oracle of the devhuman_digits_sum_mod case (operator misuse): half the tests given, half held out."""

from selfheal import Call, Example  # noqa: F401

KIND = 'wrong'
TAGS = ('dev-human', 'operator misuse')

FUNCTION = 'digit_sum'


def oracle(mod):
    return {"examples": [
        ((123,), 6),
        ((0,), 0),
        ((9,), 9),
    ]}


def fresh(mod):
    return [(1001,), (55,), (987,)]

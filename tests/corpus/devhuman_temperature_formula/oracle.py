"""Oracle of the devhuman_temperature_formula case (operator misuse): half the tests given, half held out."""

from selfheal import Call, Example  # noqa: F401

KIND = 'wrong'
TAGS = ('dev-human', 'operator misuse')

FUNCTION = 'to_fahrenheit'


def oracle(mod):
    return {"examples": [
        ((0,), 32.0),
        ((100,), 212.0),
        ((-40,), -40.0),
    ]}


def fresh(mod):
    return [(37,), (10,), (-10,)]

"""Oracle of the devhuman_planet_typo case (value misuse): half the tests given, half held out."""

from selfheal import Call, Example  # noqa: F401

KIND = 'wrong'
TAGS = ('dev-human', 'value misuse')

FUNCTION = 'is_gas_giant'


def oracle(mod):
    return {"examples": [
        (('Jupiter',), True),
        (('Mars',), False),
        (('Saturn',), True),
    ]}


def fresh(mod):
    return [('Earth',), ('jupiter',), ('Neptune',)]

"""Oracle of the devhuman_fizz_order case (excess logic): half the tests given, half held out."""

from selfheal import Call, Example  # noqa: F401

KIND = 'wrong'
TAGS = ('dev-human', 'excess logic')

FUNCTION = 'label'


def oracle(mod):
    return {"examples": [
        ((5,), 'five'),
        ((9,), 'three'),
        ((15,), 'both'),
    ]}


def fresh(mod):
    return [(7,), (20,), (10,)]

"""Oracle of the devhuman_triangle_check case (operator misuse): half the tests given, half held out."""

from selfheal import Call, Example  # noqa: F401

KIND = 'wrong'
TAGS = ('dev-human', 'operator misuse')

FUNCTION = 'is_triangle'


def oracle(mod):
    return {"examples": [
        ((3, 4, 5), True),
        ((1, 1, 2), False),
        ((2, 1, 1), False),
    ]}


def fresh(mod):
    return [(5, 5, 5), (1, 2, 10), (7, 3, 4)]

"""Oracle of the devhuman_grade_boundary case (operator misuse): half the tests given, half held out."""

from selfheal import Call, Example  # noqa: F401

KIND = 'wrong'
TAGS = ('dev-human', 'operator misuse')

FUNCTION = 'grade'


def oracle(mod):
    return {"examples": [
        ((90,), 'A'),
        ((85,), 'B'),
        ((70,), 'C'),
    ]}


def fresh(mod):
    return [(10,), (95,), (79,)]

"""Oracle of the devhuman2_pluralize_excess case (excess logic): half the tests given, half held out."""

from selfheal import Call, Example  # noqa: F401

KIND = 'wrong'
TAGS = ('dev-human', 'excess logic', 'validation')

FUNCTION = 'pluralize'


def oracle(mod):
    return {"examples": [
        (('cat', 2), 'cats'),
        (('cat', 1), 'cat'),
        (('bus', 3), 'buses'),
    ]}


def fresh(mod):
    return [('dog', 0), ('glass', 1), ('pen', 5)]

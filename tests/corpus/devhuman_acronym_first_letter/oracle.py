"""Oracle of the devhuman_acronym_first_letter case (value misuse): half the tests given, half held out."""

from selfheal import Call, Example  # noqa: F401

KIND = 'wrong'
TAGS = ('dev-human', 'value misuse')

FUNCTION = 'acronym'


def oracle(mod):
    return {"examples": [
        (('portable network graphics',), 'PNG'),
        (('as soon as possible',), 'ASAP'),
        (('',), ''),
    ]}


def fresh(mod):
    return [('Hypertext markup language',), ('for your information',), ('zone',)]

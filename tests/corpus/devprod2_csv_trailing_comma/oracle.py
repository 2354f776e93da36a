"""Oracle of the devprod2_csv_trailing_comma case: what the function must do, and fresh held-out inputs."""

from selfheal import Call, Example  # noqa: F401

KIND = 'crash'
TAGS = ('dev-prod', 'validation')

FUNCTION = 'parse_numbers'


def oracle(mod):
    return {"failing": Call(('4,5,',)), "recorded": [Call(('1,2,3',)), Call(('10',))]}


def fresh(mod):
    return [('7,',), ('1,2',), ('9',)]

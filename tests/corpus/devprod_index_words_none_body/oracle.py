"""Oracle of the devprod_index_words_none_body case: what the function must do, and fresh held-out inputs."""

from selfheal import Call, Example  # noqa: F401

KIND = 'crash'
TAGS = ('dev-prod',)

FUNCTION = 'index_words'


def oracle(mod):
    return {"failing": Call(({'id': 3, 'body': None},)), "recorded": [Call(({'id': 1, 'body': 'Red fox red'},)), Call(({'id': 2, 'body': 'a b'},))]}


def fresh(mod):
    return [({'body': ''},), ({'body': None},), ({'body': 'One two TWO'},), ({'body': 'x'},)]

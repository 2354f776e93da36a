"""Oracle of the devprod_notify_single_user case: what the function must do, and fresh held-out inputs."""

from selfheal import Call, Example  # noqa: F401

KIND = 'crash'
TAGS = ('dev-prod',)

FUNCTION = 'emails_of'


def oracle(mod):
    return {"failing": Call(({'email': 'Solo@Z.io'},)), "recorded": [Call(([{'email': 'A@X.io'}, {'email': 'b@y.io'}],)), Call(([],))]}


def fresh(mod):
    return [({'email': 'Q@Q.io'},), ([{'email': 'k@K.io'}],)]

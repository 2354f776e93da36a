"""Oracle of the devprod_summary_errors_none case: what the function must do, and fresh held-out inputs."""

from selfheal import Call, Example  # noqa: F401

KIND = 'crash'
TAGS = ('dev-prod',)

FUNCTION = 'summary_line'


def oracle(mod):
    return {"failing": Call(({'title': 'test', 'errors': None},)), "recorded": [Call(({'title': 'build', 'errors': ['e1']},)), Call(({'title': 'lint', 'errors': []},))]}


def fresh(mod):
    return [({'title': 'x', 'errors': None},), ({'title': 'y', 'errors': [1, 2, 3]},)]

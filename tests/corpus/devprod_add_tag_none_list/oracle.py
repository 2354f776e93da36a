"""Oracle of the devprod_add_tag_none_list case: what the function must do, and fresh held-out inputs."""

from selfheal import Call, Example  # noqa: F401

KIND = 'crash'
TAGS = ('dev-prod',)

FUNCTION = 'add_tag'


def oracle(mod):
    return {"failing": Call((None, 'New')), "recorded": [Call((['a'], ' B ')), Call(([], 'x'))]}


def fresh(mod):
    return [(None, 'q'), (['z'], 'Y'), ([], ' ')]

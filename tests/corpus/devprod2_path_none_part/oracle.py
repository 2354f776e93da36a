"""Oracle of the devprod2_path_none_part case: what the function must do, and fresh held-out inputs."""

from selfheal import Call, Example  # noqa: F401

KIND = 'crash'
TAGS = ('dev-prod', 'validation')

FUNCTION = 'join_path'


def oracle(mod):
    return {"failing": Call((['x', None, 'y'],)), "recorded": [Call((['a/', '/b'],)), Call(([],))]}


def fresh(mod):
    return [([None],), (['/p/', 'q'],)]

"""Oracle of the devprod2_error_lines_bytes case: what the function must do, and fresh held-out inputs."""

from selfheal import Call, Example  # noqa: F401

KIND = 'crash'
TAGS = ('dev-prod', 'validation')

FUNCTION = 'count_errors'


def oracle(mod):
    return {"failing": Call(([b'ERROR disk', b'WARN cpu', 'ERROR net'],)), "recorded": [Call((['ERROR x', 'INFO y'],)), Call(([],))]}


def fresh(mod):
    return [([b'ERROR'],), (['ok'],), ([b'INFO', b'ERROR', b'ERROR'],)]

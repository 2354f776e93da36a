"""Oracle of the devprod_log_line_str_not_bytes case: what the function must do, and fresh held-out inputs."""

from selfheal import Call, Example  # noqa: F401

KIND = 'crash'
TAGS = ('dev-prod',)

FUNCTION = 'parse_log_line'


def oracle(mod):
    return {"failing": Call(('ERROR: no route to host',)), "recorded": [Call((b'WARN: disk at 91%',)), Call((b'INFO: started',))]}


def fresh(mod):
    return [(b'DEBUG: x=1',), ('INFO: up',), ('plain text',), (b'ERROR: boom ',)]

"""Blind crash case config_timeout_str: the calls production made, the crash, the held-out inputs."""

FUNCTION = "request_timeout"
SHAPE = "config"
WELL_KNOWN = False

def seen(m):
    return [({},), ({"HTTP_TIMEOUT": 12},), ({"HTTP_TIMEOUT": 900, "HOME": "/srv"},)]


def failing(m):
    return [({"HTTP_TIMEOUT": "5"},)]


def held_out(m):
    return [({"HTTP_TIMEOUT": "0"},), ({"HTTP_TIMEOUT": "900"},), ({"HTTP_TIMEOUT": "45"},), ({"PATH": "/bin"},)]

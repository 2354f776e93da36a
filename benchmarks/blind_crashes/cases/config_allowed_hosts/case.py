"""Blind crash case config_allowed_hosts: the calls production made, the crash, the held-out inputs."""

FUNCTION = "allowed_hosts"
SHAPE = "config"
WELL_KNOWN = False

def seen(m):
    return [({"ALLOWED_HOSTS": "a.com, b.com"},), ({"ALLOWED_HOSTS": "x,,y"},)]


def failing(m):
    return [({"DEBUG": "1"},)]


def held_out(m):
    return [({},), ({"ALLOWED_HOSTS": ""},), ({"ALLOWED_HOSTS": " z.org "},), ({"ALLOWED_HOSTS": "a,b,c"},)]

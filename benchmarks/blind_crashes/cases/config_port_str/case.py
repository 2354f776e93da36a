"""Blind crash case config_port_str: the calls production made, the crash, the held-out inputs."""

FUNCTION = "listen_address"
SHAPE = "config"
WELL_KNOWN = False

def seen(m):
    return [({"port": 8000},), ({"host": "127.0.0.1", "port": 5000},)]


def failing(m):
    return [({"port": "8080"},)]


def held_out(m):
    return [({"port": "1"},), ({"host": "h", "port": 443},), ({"host": "::1", "port": "65535"},)]

"""Blind crash case config_log_level_int: the calls production made, the crash, the held-out inputs."""

FUNCTION = "log_level"
SHAPE = "config"
WELL_KNOWN = False

def seen(m):
    return [({},), ({"log_level": "debug"},), ({"log_level": "ERROR", "name": "api"},)]


def failing(m):
    return [({"log_level": 10},)]


def held_out(m):
    return [({"log_level": 30},), ({"log_level": "Warning"},), ({"log_level": 0},)]

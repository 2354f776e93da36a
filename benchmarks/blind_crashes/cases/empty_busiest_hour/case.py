"""Blind crash case empty_busiest_hour: the calls production made, the crash, the held-out inputs."""

FUNCTION = "busiest_hour"
SHAPE = "empty"
WELL_KNOWN = False

def seen(m):
    return [({9: 14, 10: 30, 11: 22},), ({23: 1},)]


def failing(m):
    return [({},)]


def held_out(m):
    return [({0: 5, 1: 7},), ({13: 2, 14: 2},)]

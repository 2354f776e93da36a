"""Blind crash case shape_single_id: the calls production made, the crash, the held-out inputs."""

FUNCTION = "user_names"
SHAPE = "shape"
WELL_KNOWN = False

USERS = {1: {"name": "ann"}, 2: {"name": "bo"}, 3: {"name": "cy"}}


def seen(m):
    return [([1, 2], USERS), ([], USERS)]


def failing(m):
    return [(3, USERS)]


def held_out(m):
    return [(1, USERS), ([3, 1], USERS), ((2,), USERS)]

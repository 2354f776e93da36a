"""Blind crash case shape_set_payload: the calls production made, the crash, the held-out inputs."""

FUNCTION = "cache_payload"
SHAPE = "shape"
WELL_KNOWN = False

def seen(m):
    return [([3, 1, 2],), ([],), ((7, 8),)]


def failing(m):
    return [({3, 1},)]


def held_out(m):
    return [({5},), (frozenset({2, 4}),), ([9],), (set(),)]

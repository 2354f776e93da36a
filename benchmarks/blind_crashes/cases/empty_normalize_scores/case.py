"""Blind crash case empty_normalize_scores: the calls production made, the crash, the held-out inputs."""

FUNCTION = "normalize_scores"
SHAPE = "empty"
WELL_KNOWN = False

def seen(m):
    return [([2, 4, 8],), ([5],)]


def failing(m):
    return [([],)]


def held_out(m):
    return [([3, 6],), ([1.5, 3.0, 0.75],), ((),)]

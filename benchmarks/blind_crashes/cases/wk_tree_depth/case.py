"""Blind crash case wk_tree_depth: the calls production made, the crash, the held-out inputs."""

FUNCTION = "depth"
SHAPE = "empty"
WELL_KNOWN = True

def seen(m):
    return [([1, [2, 3]],), ([[4], 5],), (7,)]


def failing(m):
    return [([],), ([1, []],)]


def held_out(m):
    return [([[], 1],), ([[[]]],), (5,), ([1, 2],), ([[1, [2, []]]],)]

"""Blind crash case empty_latest_version: the calls production made, the crash, the held-out inputs."""

FUNCTION = "latest_version"
SHAPE = "empty"
WELL_KNOWN = False

def seen(m):
    return [(["1.2.0", "1.10.1", "1.9.9"],), (["0.1.0"],)]


def failing(m):
    return [([],)]


def held_out(m):
    return [(["2.0.0", "10.0.0"],), (["3.1", "3.1.1"],), ((),)]

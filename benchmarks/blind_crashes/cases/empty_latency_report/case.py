"""Blind crash case empty_latency_report: the calls production made, the crash, the held-out inputs."""

FUNCTION = "latency_report"
SHAPE = "empty"
WELL_KNOWN = False

def seen(m):
    return [([12.0, 8.5, 30.1],), ([5.0],)]


def failing(m):
    return [([],)]


def held_out(m):
    return [([1.0, 2.0, 3.0, 4.0],), ([0.25, 0.25],), ((),)]

"""Blind crash case opt_rating_none: the calls production made, the crash, the held-out inputs."""

FUNCTION = "average_rating"
SHAPE = "optional"
WELL_KNOWN = False

def seen(m):
    return [([{"stars": 4}, {"stars": 5}],), ([{"stars": 1}],)]


def failing(m):
    return [([{"stars": 4}, {"stars": None}],)]


def held_out(m):
    return [([{"stars": None}, {"stars": 3}, {"stars": 2}],), ([{"stars": 5}, {"stars": 4}, {"stars": 4}],), ([{"stars": 0}, {"stars": None}],)]

"""Blind crash case empty_price_range: the calls production made, the crash, the held-out inputs."""

FUNCTION = "price_range"
SHAPE = "empty"
WELL_KNOWN = False

def seen(m):
    return [([{"price": 3}, {"price": 9}, {"price": 5}],), ([{"price": 2.5}],)]


def failing(m):
    return [([],)]


def held_out(m):
    return [([{"price": 1}, {"price": 1}],), ([{"price": 7}, {"price": -2}],)]

"""Blind crash case async_cache_ttl: the calls production made, the crash, the held-out inputs."""

FUNCTION = "cached_price"
SHAPE = "async"
WELL_KNOWN = False

def seen(m):
    return [({"abc": {"at": 100, "data": {"price": 7}}}, "abc", 120), ({"abc": {"at": 0, "data": {"price": 7}}}, "abc", 500)]


def failing(m):
    return [({}, "abcd", 10)]


def held_out(m):
    return [({}, "z", 0), ({"q": {"at": 5, "data": {"price": 1}}}, "r", 6), ({"q": {"at": 5, "data": {"price": 1}}}, "q", 6)]

"""Blind crash case async_gather_missing: the calls production made, the crash, the held-out inputs."""

FUNCTION = "fetch_all"
SHAPE = "async"
WELL_KNOWN = False

STORE = {"a": {"value": 1}, "b": {"value": 2}, "c": {"value": None}}


def seen(m):
    return [(STORE, ["a", "b"]), (STORE, [])]


def failing(m):
    return [(STORE, ["a", "zzz"])]


def held_out(m):
    return [(STORE, ["nope"]), (STORE, ["c", "b", "q"]), (STORE, ["b"])]

"""Blind crash case opt_last_login: the calls production made, the crash, the held-out inputs."""

FUNCTION = "last_seen_label"
SHAPE = "optional"
WELL_KNOWN = False

from datetime import datetime


def seen(m):
    return [({"last_login": datetime(2024, 5, 1, 9, 30)},), ({"name": "x", "last_login": datetime(2023, 1, 2)},)]


def failing(m):
    return [({"name": "new user"},)]


def examples(m):
    return [(({"last_login": None},), "never logged in")]


def held_out(m):
    return [({"last_login": None},), ({},), ({"last_login": datetime(2020, 2, 29)},)]

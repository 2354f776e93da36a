"""Blind crash case method_paginator_str: the calls production made, the crash, the held-out inputs."""

FUNCTION = "Paginator.page"
SHAPE = "method"
WELL_KNOWN = False

ITEMS = list(range(1, 11))


def seen(m):
    return [(m.Paginator(ITEMS, 3), 1), (m.Paginator(ITEMS, 3), 4)]


def failing(m):
    return [(m.Paginator(ITEMS, 3), "2")]


def held_out(m):
    return [(m.Paginator(ITEMS, 4), "3"), (m.Paginator(ITEMS, 5), 2), (m.Paginator(ITEMS, 2), "5")]

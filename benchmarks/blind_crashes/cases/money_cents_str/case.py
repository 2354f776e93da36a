"""Blind crash case money_cents_str: the calls production made, the crash, the held-out inputs."""

FUNCTION = "to_cents"
SHAPE = "money"
WELL_KNOWN = False

def seen(m):
    return [(2.5,), (10,), (0.25,)]


def failing(m):
    return [("19.99",)]


def held_out(m):
    return [("0.1",), (3,), ("7",), ("1.005",), (4.75,)]

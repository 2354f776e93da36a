"""Blind crash case date_epoch_string: the calls production made, the crash, the held-out inputs."""

FUNCTION = "to_datetime"
SHAPE = "datetime"
WELL_KNOWN = False

def seen(m):
    return [(1700000000,), (0,), (1600000000.5,)]


def failing(m):
    return [("1700000000",)]


def held_out(m):
    return [("1",), ("86400",), ("1600000000.25",), (42,)]

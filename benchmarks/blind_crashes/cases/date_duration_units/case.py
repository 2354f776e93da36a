"""Blind crash case date_duration_units: the calls production made, the crash, the held-out inputs."""

FUNCTION = "parse_duration"
SHAPE = "datetime"
WELL_KNOWN = False

def seen(m):
    return [("5m",), ("2h",), ("30s",)]


def failing(m):
    return [("90",)]


def held_out(m):
    return [("45",), ("1d",), ("0",), ("12m",)]

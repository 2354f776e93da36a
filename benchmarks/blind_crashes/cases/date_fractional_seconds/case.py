"""Blind crash case date_fractional_seconds: the calls production made, the crash, the held-out inputs."""

FUNCTION = "parse_created_at"
SHAPE = "datetime"
WELL_KNOWN = False

def seen(m):
    return [("2024-01-05T08:30:00",), ("2023-11-30T23:59:59",)]


def failing(m):
    return [("2024-03-01T10:00:00.123",)]


def held_out(m):
    return [("2023-12-31T23:59:59.999999",), ("2024-02-29T00:00:00",), ("2025-06-01T12:00:00.5",)]

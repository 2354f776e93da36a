"""Blind crash case date_naive_expiry: the calls production made, the crash, the held-out inputs."""

FUNCTION = "token_expired"
SHAPE = "datetime"
WELL_KNOWN = False

from datetime import datetime, timezone

NOW = datetime(2024, 6, 1, 12, 0, tzinfo=timezone.utc)


def seen(m):
    return [({"expires_at": "2024-01-01T00:00:00+00:00"}, NOW), ({"expires_at": "2030-01-01T00:00:00+00:00"}, NOW)]


def failing(m):
    return [({"expires_at": "2024-01-01T00:00:00"}, NOW)]


def held_out(m):
    return [
        ({"expires_at": "2031-05-05T10:00:00"}, NOW),
        ({"expires_at": "2024-06-01T12:00:00"}, NOW),
        ({"expires_at": "2024-06-01T13:00:00+02:00"}, NOW),
        ({"expires_at": "2024-06-01T12:30:00"}, NOW),
    ]

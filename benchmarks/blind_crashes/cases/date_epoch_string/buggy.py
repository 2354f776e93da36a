from datetime import datetime, timezone


def to_datetime(ts):
    return datetime.fromtimestamp(ts, tz=timezone.utc)

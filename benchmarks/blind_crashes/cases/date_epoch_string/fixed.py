from datetime import datetime, timezone


def to_datetime(ts):
    return datetime.fromtimestamp(float(ts), tz=timezone.utc)

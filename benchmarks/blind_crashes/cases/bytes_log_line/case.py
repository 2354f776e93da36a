"""Blind crash case bytes_log_line: the calls production made, the crash, the held-out inputs."""

FUNCTION = "log_line"
SHAPE = "bytes"
WELL_KNOWN = False

def seen(m):
    return [(b"info", b"started"), (b"error", b"disk full")]


def failing(m):
    return [(b"warn", "retrying in 5s")]


def held_out(m):
    return [(b"warn", "disk 90%"), (b"debug", b"x"), (b"info", ""), (b"info", "\u00fcber")]

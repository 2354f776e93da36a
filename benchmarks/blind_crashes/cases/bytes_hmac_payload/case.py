"""Blind crash case bytes_hmac_payload: the calls production made, the crash, the held-out inputs."""

FUNCTION = "sign"
SHAPE = "bytes"
WELL_KNOWN = False

def seen(m):
    return [(b"key", b"body"), (b"s3cr3t", b'{"a": 1}')]


def failing(m):
    return [(b"key", '{"event": "ping"}')]


def held_out(m):
    return [(b"k", "h\u00e9llo"), (b"x", b""), (b"x", ""), (b"key", "body")]

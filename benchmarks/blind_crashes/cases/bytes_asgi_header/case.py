"""Blind crash case bytes_asgi_header: the calls production made, the crash, the held-out inputs."""

FUNCTION = "header"
SHAPE = "bytes"
WELL_KNOWN = False

SCOPE = {"headers": [(b"host", b"example.com"), (b"content-length", b"12")]}


def seen(m):
    return [(SCOPE, "Host"), (SCOPE, "X-Request-Id")]


def failing(m):
    return [(SCOPE, b"host")]


def held_out(m):
    return [(SCOPE, b"CONTENT-LENGTH"), (SCOPE, b"x-missing"), (SCOPE, "Content-Length"), ({"headers": []}, b"host")]

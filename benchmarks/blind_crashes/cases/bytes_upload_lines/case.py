"""Blind crash case bytes_upload_lines: the calls production made, the crash, the held-out inputs."""

FUNCTION = "count_lines"
SHAPE = "bytes"
WELL_KNOWN = False

def seen(m):
    return [({"name": "a.csv", "content": "x\ny\n"},), ({"name": "b.csv", "content": ""},)]


def failing(m):
    return [({"name": "c.csv", "content": b"one\ntwo\nthree\n"},)]


def held_out(m):
    return [({"content": b""},), ({"content": b"\n\nz\n"},), ({"content": "p\nq"},)]

"""Blind crash case async_blank_message: the calls production made, the crash, the held-out inputs."""

FUNCTION = "next_message"
SHAPE = "async"
WELL_KNOWN = False

def seen(m):
    return [(m.Reader([b'{"text": " hi "}\n']),), (m.Reader([b'{"text": "bye", "id": 2}\n', b"\n"]),)]


def failing(m):
    return [(m.Reader([]),)]


def held_out(m):
    return [(m.Reader([b"\n"]),), (m.Reader([b'{"text": "x"}']),), (m.Reader([b"  \r\n", b'{"text": "y"}']),)]

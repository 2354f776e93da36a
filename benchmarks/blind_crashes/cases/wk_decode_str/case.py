"""Blind crash case wk_decode_str: the calls production made, the crash, the held-out inputs."""

FUNCTION = "parse_line"
SHAPE = "bytes"
WELL_KNOWN = True

def seen(m):
    return [(b"  hello\n",), (b"GET /index.html\r\n",)]


def failing(m):
    return [(" already text \n",)]


def held_out(m):
    return [(b"x\n",), ("y ",), (b"",), ("caf\u00e9\t",), ("caf\u00e9 ".encode(),)]

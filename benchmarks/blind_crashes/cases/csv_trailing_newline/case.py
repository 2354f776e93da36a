"""Blind crash case csv_trailing_newline: the calls production made, the crash, the held-out inputs."""

FUNCTION = "parse_rows"
SHAPE = "csv"
WELL_KNOWN = False

def seen(m):
    return [("apples,3\npears,2",), ("kiwi, 5",)]


def failing(m):
    return [("apples,3\npears,2\n",)]


def held_out(m):
    return [("a,1\n\nb,2\n",), ("c,3\n",), ("d,4",), ("",)]

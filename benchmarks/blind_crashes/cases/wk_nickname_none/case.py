"""Blind crash case wk_nickname_none: the calls production made, the crash, the held-out inputs."""

FUNCTION = "display_name"
SHAPE = "optional"
WELL_KNOWN = True

def seen(m):
    return [({"nickname": "  Bob ", "name": "Robert"},), ({"nickname": "", "name": "Alice"},)]


def failing(m):
    return [({"nickname": None, "name": "Carol"},)]


def held_out(m):
    return [
        ({"nickname": None, "name": "Dan"},),
        ({"nickname": "   ", "name": "Eve"},),
        ({"nickname": "Zed", "name": "Zachary"},),
    ]

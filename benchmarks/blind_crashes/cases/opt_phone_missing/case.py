"""Blind crash case opt_phone_missing: the calls production made, the crash, the held-out inputs."""

FUNCTION = "normalize_phone"
SHAPE = "optional"
WELL_KNOWN = False

def seen(m):
    return [({"phone": "(555) 123-4567"},), ({"phone": "+44 20 7946 0958"},)]


def failing(m):
    return [({"email": "a@b.c"},)]


def held_out(m):
    return [({"phone": None},), ({"phone": "555.987.6543"},), ({"phone": ""},), ({},)]

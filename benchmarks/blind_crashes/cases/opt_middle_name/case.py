"""Blind crash case opt_middle_name: the calls production made, the crash, the held-out inputs."""

FUNCTION = "full_name"
SHAPE = "optional"
WELL_KNOWN = False

def seen(m):
    return [({"first": "Ada", "middle": "King", "last": "Lovelace"},), ({"first": "J", "middle": "R", "last": "Tolkien"},)]


def failing(m):
    return [({"first": "Grace", "last": "Hopper"},)]


def held_out(m):
    return [({"first": "Alan", "middle": None, "last": "Turing"},), ({"first": "Kurt", "middle": "", "last": "Godel"},), ({"first": "Emmy", "last": "Noether"},)]

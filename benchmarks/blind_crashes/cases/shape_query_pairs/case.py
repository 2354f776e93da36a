"""Blind crash case shape_query_pairs: the calls production made, the crash, the held-out inputs."""

FUNCTION = "to_query_string"
SHAPE = "shape"
WELL_KNOWN = False

def seen(m):
    return [({"q": "shoes", "page": 2},), ({},)]


def failing(m):
    return [([("tag", "a"), ("tag", "b")],)]


def held_out(m):
    return [([],), ([("x", 1)],), ({"a": "1", "b": "2"},), ((("k", "v"),),)]

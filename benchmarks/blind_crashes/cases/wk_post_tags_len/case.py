"""Blind crash case wk_post_tags_len: the calls production made, the crash, the held-out inputs."""

FUNCTION = "summarize_post"
SHAPE = "optional"
WELL_KNOWN = True

def seen(m):
    return [({"title": "Hello ", "tags": ["intro", "meta"]},), ({"title": "Empty", "tags": []},)]


def failing(m):
    return [({"title": "No tags yet"},)]


def held_out(m):
    return [
        ({"title": " Draft", "tags": ["x"]},),
        ({"title": "Nulls", "tags": None},),
        ({"title": "Plain"},),
        ({"title": "Three", "tags": ["a", "b", "c"]},),
    ]

"""Blind crash case web_page_param: the calls production made, the crash, the held-out inputs."""

FUNCTION = "list_page"
SHAPE = "web"
WELL_KNOWN = False

def seen(m):
    return [({"query": {"page": "2"}},), ({"query": {"page": "1", "size": "50"}},)]


def failing(m):
    return [({"query": {}},)]


def held_out(m):
    return [
        ({"query": {"size": "10"}},),
        ({"query": {"page": "3", "size": "5"}},),
        ({"query": {"q": "shoes"}},),
        ({"query": {"page": "7"}},),
    ]

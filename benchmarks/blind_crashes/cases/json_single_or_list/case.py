"""Blind crash case json_single_or_list: the calls production made, the crash, the held-out inputs."""

FUNCTION = "event_names"
SHAPE = "json"
WELL_KNOWN = False

def seen(m):
    return [('[{"name": "signup"}, {"name": "login"}]',), ("[]",)]


def failing(m):
    return [('{"name": "purchase", "amount": 3}',)]


def held_out(m):
    return [('{"name": "x"}',), ('[{"name": "y", "v": 1}]',), ('[{"name": "a"}, {"name": "b"}, {"name": "c"}]',)]

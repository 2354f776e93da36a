"""Blind crash case json_empty_body: the calls production made, the crash, the held-out inputs."""

FUNCTION = "parse_settings"
SHAPE = "json"
WELL_KNOWN = False

def seen(m):
    return [('{"theme": "dark"}',), ('{"beta": true}',)]


def failing(m):
    return [("",)]


def held_out(m):
    return [("   ",), ("{}",), ('{"theme": "solarized", "beta": 0}',), ("\n",)]

"""Blind crash case json_qty_string: the calls production made, the crash, the held-out inputs."""

FUNCTION = "total_quantity"
SHAPE = "json"
WELL_KNOWN = False

def seen(m):
    return [('{"items": [{"qty": 1}, {"qty": 4}]}',), ('{"items": []}',)]


def failing(m):
    return [('{"items": [{"qty": 2}, {"qty": "3"}]}',)]


def held_out(m):
    return [('{"items": [{"qty": "10"}]}',), ('{"items": [{"qty": "1"}, {"qty": "2"}, {"qty": 3}]}',), ('{"items": [{"qty": 0}]}',)]

"""Blind crash case shape_inventory_dict: the calls production made, the crash, the held-out inputs."""

FUNCTION = "total_stock"
SHAPE = "shape"
WELL_KNOWN = False

def seen(m):
    return [([{"sku": "a", "count": 2}, {"sku": "b", "count": 5}],), ([],)]


def failing(m):
    return [({"a": {"count": 2}, "b": {"count": 1}},)]


def held_out(m):
    return [({},), ({"x": {"count": 10}},), ([{"count": 1}],)]

"""Blind crash case shape_point_tuple: the calls production made, the crash, the held-out inputs."""

FUNCTION = "distance"
SHAPE = "shape"
WELL_KNOWN = False

def seen(m):
    return [({"x": 0, "y": 0}, {"x": 3, "y": 4}), ({"x": 1, "y": 1}, {"x": 1, "y": 2})]


def failing(m):
    return [((0, 0), {"x": 6, "y": 8})]


def held_out(m):
    return [({"x": 0, "y": 0}, (3, 4)), ((1, 1), (4, 5)), ([2, 2], {"x": 2, "y": 2})]

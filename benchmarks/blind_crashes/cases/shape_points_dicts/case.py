"""Blind crash case shape_points_dicts: the calls production made, the crash, the held-out inputs."""

FUNCTION = "bounding_box"
SHAPE = "shape"
WELL_KNOWN = False

def seen(m):
    return [([(0, 0), (2, 3), (-1, 5)],), ([(4, 4)],)]


def failing(m):
    return [([{"x": 1, "y": 2}, {"x": 3, "y": -1}],)]


def held_out(m):
    return [([{"x": 0, "y": 0}],), ([(1, 1), {"x": 5, "y": 0}],), ([[2, 2], [3, 9]],)]

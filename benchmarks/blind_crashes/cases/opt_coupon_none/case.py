"""Blind crash case opt_coupon_none: the calls production made, the crash, the held-out inputs."""

FUNCTION = "apply_coupon"
SHAPE = "optional"
WELL_KNOWN = False

def seen(m):
    return [(100.0, {"percent": 10}), (50.0, {"percent": 0, "code": "ZERO"})]


def failing(m):
    return [(80.0, None)]


def held_out(m):
    return [(19.99, None), (19.99, {"percent": 50}), (10.0, {"percent": 100}), (3.0, None)]

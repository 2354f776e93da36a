"""Blind crash case async_order_lines: the calls production made, the crash, the held-out inputs."""

FUNCTION = "order_total"
SHAPE = "async"
WELL_KNOWN = False

ORDERS = {
    "/orders/1": {"lines": [{"price": 5, "qty": 2}, {"price": 1, "qty": 3}]},
    "/orders/2": {"lines": []},
    "/orders/3": {"status": "draft"},
    "/orders/4": {"lines": [{"price": 7, "qty": 1}]},
    "/orders/5": {"status": "cancelled", "note": "empty"},
}


def seen(m):
    return [(m.Client(ORDERS), 1), (m.Client(ORDERS), 2)]


def failing(m):
    return [(m.Client(ORDERS), 3)]


def held_out(m):
    return [(m.Client(ORDERS), 4), (m.Client(ORDERS), 5), (m.Client(ORDERS), 1)]

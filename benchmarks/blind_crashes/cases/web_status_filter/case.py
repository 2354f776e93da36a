"""Blind crash case web_status_filter: the calls production made, the crash, the held-out inputs."""

FUNCTION = "filter_orders"
SHAPE = "web"
WELL_KNOWN = False

ORDERS = [
    {"id": 1, "status": "paid"},
    {"id": 2, "status": "open"},
    {"id": 3, "status": "paid"},
    {"id": 4, "status": "open"},
]


def seen(m):
    return [(ORDERS, {}), (ORDERS, {"status": "paid"})]


def failing(m):
    return [(ORDERS, {"limit": "2"})]


def held_out(m):
    return [
        (ORDERS, {"limit": "1", "status": "open"}),
        (ORDERS, {"limit": "0"}),
        (ORDERS, {"status": "refunded"}),
        (ORDERS, {"limit": 3}),
    ]

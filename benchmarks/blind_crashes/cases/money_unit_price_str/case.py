"""Blind crash case money_unit_price_str: the calls production made, the crash, the held-out inputs."""

FUNCTION = "invoice_total"
SHAPE = "money"
WELL_KNOWN = False

def seen(m):
    return [([{"unit_price": 10.0, "qty": 2}],), ([],), ([{"unit_price": 2.5, "qty": 4}, {"unit_price": 1.0, "qty": 1}],)]


def failing(m):
    return [([{"unit_price": "4.50", "qty": 2}],)]


def held_out(m):
    return [([{"unit_price": "4.50", "qty": 2}, {"unit_price": 1.5, "qty": 2}],), ([{"unit_price": "0.99", "qty": 10}],), ([{"unit_price": 3, "qty": 3}],)]

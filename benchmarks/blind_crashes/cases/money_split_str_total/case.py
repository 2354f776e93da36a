"""Blind crash case money_split_str_total: the calls production made, the crash, the held-out inputs."""

FUNCTION = "split_bill"
SHAPE = "money"
WELL_KNOWN = False

from decimal import Decimal


def seen(m):
    return [(Decimal("10.00"), 3), (Decimal("9"), 2)]


def failing(m):
    return [("10.00", 4)]


def held_out(m):
    return [("0.01", 2), ("100", 3), (Decimal("7.77"), 7), ("12.34", 1)]

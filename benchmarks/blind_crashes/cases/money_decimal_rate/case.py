"""Blind crash case money_decimal_rate: the calls production made, the crash, the held-out inputs."""

FUNCTION = "with_tax"
SHAPE = "money"
WELL_KNOWN = False

from decimal import Decimal


def seen(m):
    return [(Decimal("10.00"), Decimal("0.2")), (Decimal("3.50"), 0)]


def failing(m):
    return [(Decimal("10.00"), 0.2)]


def held_out(m):
    return [(Decimal("19.99"), 0.07), (Decimal("5"), 0), (Decimal("1.00"), Decimal("0.155")), (Decimal("80"), 0.25)]

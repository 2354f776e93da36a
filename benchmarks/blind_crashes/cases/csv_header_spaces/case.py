"""Blind crash case csv_header_spaces: the calls production made, the crash, the held-out inputs."""

FUNCTION = "prices_by_sku"
SHAPE = "csv"
WELL_KNOWN = False

def seen(m):
    return [("sku,price\nA1,2.5\nB2,3\n",), ("sku,price\n",)]


def failing(m):
    return [("sku, price\nA1, 2.5\n",)]


def held_out(m):
    return [("sku, price\nZ, 1\nY, 0.5\n",), ("sku,price\nQ,10\n",), ("sku, price\n",)]

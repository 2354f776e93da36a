"""Blind crash case money_currency_symbol: the calls production made, the crash, the held-out inputs."""

FUNCTION = "format_price"
SHAPE = "money"
WELL_KNOWN = False

def seen(m):
    return [(1999, "USD"), (123456, "EUR")]


def failing(m):
    return [(500, "JPY")]


def held_out(m):
    return [(1, "GBP"), (0, "CHF"), (250000, "SEK"), (99, "USD")]

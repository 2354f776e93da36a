"""Blind crash case csv_decimal_comma: the calls production made, the crash, the held-out inputs."""

FUNCTION = "column_total"
SHAPE = "csv"
WELL_KNOWN = False

def seen(m):
    return [(["2024-01-02;1.25", "2024-01-03;2"],), ([],)]


def failing(m):
    return [(["2024-01-02;3,50", "2024-01-03;1.25"],)]


def held_out(m):
    return [(["2024-02-01;0,10", "2024-02-02;0,20"],), (["2024-03-01;7"],), (["2024-03-02;12,75"],)]

"""Blind crash case csv_short_row: the calls production made, the crash, the held-out inputs."""

FUNCTION = "collect_emails"
SHAPE = "csv"
WELL_KNOWN = False

def seen(m):
    return [([["1", "Ann", "Lee", "ANN@X.COM"], ["2", "Bo", "Ng", ""]],), ([],)]


def failing(m):
    return [([["1", "Ann", "Lee", "ann@x.com"], ["2", "Bo"]],)]


def held_out(m):
    return [
        ([["3", "Cy"], ["4", "Di", "Ox", "Di@Ox.org"]],),
        ([["5", "Ed", "Po", "e@p.io", "extra"]],),
        ([[]],),
    ]

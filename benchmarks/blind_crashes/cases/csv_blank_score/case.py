"""Blind crash case csv_blank_score: the calls production made, the crash, the held-out inputs."""

FUNCTION = "average_score"
SHAPE = "csv"
WELL_KNOWN = False

HEADER = ["id", "name", "score"]


def seen(m):
    return [([HEADER, ["1", "ann", "3"], ["2", "bo", "5"]],), ([HEADER, ["7", "cy", "4.5"]],)]


def failing(m):
    return [([HEADER, ["1", "ann", "3"], ["2", "bo", ""]],)]


def held_out(m):
    return [
        ([HEADER, ["1", "a", " "], ["2", "b", "8"], ["3", "c", "2"]],),
        ([HEADER, ["1", "a", "1"], ["2", "b", ""], ["3", "c", ""]],),
        ([HEADER, ["9", "z", "10"]],),
    ]

"""Blind crash case opt_sort_due_none: the calls production made, the crash, the held-out inputs."""

FUNCTION = "sort_by_due"
SHAPE = "optional"
WELL_KNOWN = False

def seen(m):
    return [([{"id": 1, "due": "2024-05-02"}, {"id": 2, "due": "2024-04-30"}],), ([],)]


def failing(m):
    return [([{"id": 1, "due": "2024-05-02"}, {"id": 2, "due": None}],)]


def held_out(m):
    return [
        ([{"id": 3, "due": None}, {"id": 4, "due": "2025-01-01"}, {"id": 5, "due": "2024-01-01"}],),
        ([{"id": 6, "due": None}],),
        ([{"id": 7, "due": "2024-03-03"}, {"id": 8, "due": "2024-03-01"}],),
    ]

"""Blind crash case date_birthday_str: the calls production made, the crash, the held-out inputs."""

FUNCTION = "age_on"
SHAPE = "datetime"
WELL_KNOWN = False

from datetime import date

TODAY = date(2024, 6, 15)


def seen(m):
    return [(date(1990, 5, 17), TODAY), (date(2000, 12, 1), TODAY)]


def failing(m):
    return [("1990-05-17", TODAY)]


def held_out(m):
    return [("2000-06-15", TODAY), ("2000-06-16", TODAY), (date(2024, 1, 1), TODAY), ("1961-02-28", TODAY)]

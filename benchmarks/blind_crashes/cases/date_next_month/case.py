"""Blind crash case date_next_month: the calls production made, the crash, the held-out inputs."""

FUNCTION = "first_of_next_month"
SHAPE = "datetime"
WELL_KNOWN = False

from datetime import date


def seen(m):
    return [(date(2024, 3, 15),), (date(2023, 1, 31),)]


def failing(m):
    return [(date(2024, 12, 5),)]


def held_out(m):
    return [(date(2023, 12, 31),), (date(2024, 11, 30),), (date(1999, 12, 1),)]

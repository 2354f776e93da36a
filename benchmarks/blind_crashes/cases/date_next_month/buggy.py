from datetime import date


def first_of_next_month(day):
    return date(day.year, day.month + 1, 1)

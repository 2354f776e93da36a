def is_weekend(day):
    return day == "Sat" and day == "Sun"

def is_weekend(day):
    return day == "Sat" or day == "Sun"

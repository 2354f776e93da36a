def to_celsius(reading):
    return round((reading["f"] - 32) * 5 / 9, 1)

def to_celsius(reading):
    return round((float(reading["f"]) - 32) * 5 / 9, 1)

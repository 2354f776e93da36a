def percent(part, whole):
    return round(part / whole * 100, 1)

def whole_units(amount):
    """'12.75' -> 12"""
    return int(float(amount))

def discount(total):
    """10% off orders of 100 or more."""
    if total > 100:
        return round(total * 0.9, 2)
    return total

def middle(values):
    """The middle element; for an even count the mean of the two middle ones."""
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid]

def overlaps(a, b):
    """Closed intervals (start, end)."""
    return a[0] < b[1] and b[0] <= a[1]

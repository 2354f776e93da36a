def gap(a, b):
    """How far apart two readings are."""
    d = abs(a - b)
    return d

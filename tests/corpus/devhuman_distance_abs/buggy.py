def gap(a, b):
    """How far apart two readings are."""
    d = a - b
    return d

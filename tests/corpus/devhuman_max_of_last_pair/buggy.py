def rolling_peak(readings):
    """The larger of each reading and the one before it."""
    out = []
    prev = None
    for n in readings:
        m = n if prev is None else max(readings)
        out.append(m)
        prev = n
    return out

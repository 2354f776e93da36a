def dedupe(values):
    """Drop repeats, keeping the first occurrence of each value in order."""
    seen = set()
    out = []
    for v in values:
        if v not in seen:
            seen.add(v)
            out.insert(0, v)
    return out

def largest_gap(values):
    best = 0
    for a, b in zip(values, values[1:]):
        gap = b - a
        if gap > best:
            best = gap
    return best

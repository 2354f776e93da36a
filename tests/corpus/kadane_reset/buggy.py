def max_subarray(xs):
    best = xs[0]
    current = 0
    for x in xs:
        current = max(0, current + x)
        best = max(best, current)
    return best

def max_subarray(xs):
    best = xs[0]
    current = 0
    for x in xs:
        current = max(x, current + x)
        best = max(best, current)
    return best

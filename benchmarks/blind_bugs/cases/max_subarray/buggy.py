def max_subarray(values):
    best = current = values[0]
    for v in values[1:]:
        current = max(v, current + v)
        if current < 0:
            current = 0
        best = max(best, current)
    return best

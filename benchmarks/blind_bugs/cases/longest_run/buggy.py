def longest_run(values):
    best = 0
    current = 0
    previous = None
    for v in values:
        current = current + 1 if v == previous else 1
        best = max(best, current)
        previous = v
    return current

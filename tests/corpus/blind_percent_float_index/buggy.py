def percentile(values, p):
    ordered = sorted(values)
    index = (len(ordered) - 1) * p / 100
    return ordered[index]

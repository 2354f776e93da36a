def spread(values):
    m = sum(values) / len(values)
    return sum(abs(v - m) for v in values) / len(values)

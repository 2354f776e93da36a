def spread(values):
    m = sum(values) / len(values)
    return sum(v - m for v in values) / len(values)

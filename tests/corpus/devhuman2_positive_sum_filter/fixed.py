def sum_positive(values):
    return sum(v for v in values if v > 0)

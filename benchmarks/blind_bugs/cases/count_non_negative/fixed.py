def count_non_negative(values):
    return sum(1 for v in values if v >= 0)

def sum_positive(values):
    return sum(values)

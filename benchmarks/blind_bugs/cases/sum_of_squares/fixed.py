def sum_of_squares(values):
    return sum(v ** 2 for v in values)

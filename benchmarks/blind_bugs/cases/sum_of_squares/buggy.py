def sum_of_squares(values):
    return sum(v ** 3 for v in values)

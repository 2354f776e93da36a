def sum_even(values):
    return sum(v for v in values if v % 2 == 0)

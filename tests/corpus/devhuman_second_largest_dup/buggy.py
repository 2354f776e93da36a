def second_largest(values):
    ordered = sorted(values)
    return ordered[-2]

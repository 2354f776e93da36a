def missing_numbers(values, n):
    present = set(values)
    return [k for k in range(1, n + 1) if k not in present]

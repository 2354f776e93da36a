def count_changes(values):
    return sum(1 for a, b in zip(values, values[1:]) if a != b)

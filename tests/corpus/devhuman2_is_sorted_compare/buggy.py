def is_sorted(values):
    return all(values[i] < values[i + 1] for i in range(len(values) - 1))

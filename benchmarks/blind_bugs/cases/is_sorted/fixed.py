def is_sorted(values):
    for i in range(1, len(values)):
        if values[i - 1] > values[i]:
            return False
    return True

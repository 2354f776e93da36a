def in_range(value, low, high):
    return low <= value <= high

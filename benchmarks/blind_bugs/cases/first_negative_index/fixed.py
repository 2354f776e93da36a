def first_negative_index(values):
    for i, v in enumerate(values):
        if v < 0:
            return i
    return -1

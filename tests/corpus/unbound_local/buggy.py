def last_negative(values):
    for v in values:
        if v < 0:
            found = v
    return found

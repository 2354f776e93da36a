def last_negative(values):
    found = None
    for v in values:
        if v < 0:
            found = v
    return found

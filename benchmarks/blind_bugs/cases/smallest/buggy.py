def smallest(values):
    result = 0
    for v in values[1:]:
        if v < result:
            result = v
    return result

def invert(mapping):
    result = {}
    for key, value in mapping:
        result[value] = key
    return result

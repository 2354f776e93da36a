def invert(mapping):
    result = {}
    for key, value in mapping.items():
        result[value] = key
    return result

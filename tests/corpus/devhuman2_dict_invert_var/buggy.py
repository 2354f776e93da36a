def invert(mapping):
    result = {}
    for key, value in mapping.items():
        result[key] = value
    return result

def invert(mapping):
    return {key: value for key, value in mapping.items()}

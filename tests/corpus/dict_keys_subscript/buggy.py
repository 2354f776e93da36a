def first_key(mapping):
    return mapping.keys()[0]

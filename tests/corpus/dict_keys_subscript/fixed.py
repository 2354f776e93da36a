def first_key(mapping):
    return list(mapping.keys())[0]

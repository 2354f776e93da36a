def missing_keys(data, required):
    return [key for key in required if key not in data]

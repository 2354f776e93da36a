def missing_keys(data, required):
    return [key for key in required if key in data]

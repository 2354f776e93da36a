def merge_settings(base, override):
    result = base.copy()
    for key, value in override.items():
        result[key] = value
    return result

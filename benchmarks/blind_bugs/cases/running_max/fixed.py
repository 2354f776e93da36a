def running_max(values):
    result = []
    current = None
    for v in values:
        current = v if current is None else max(current, v)
        result.append(current)
    return result

def running_max(values):
    result = []
    current = None
    for v in values:
        current = v if current is None else max(values)
        result.append(current)
    return result

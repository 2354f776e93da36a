def collapse_runs(items):
    if not items:
        return []
    result = []
    current = items[0]
    for item in items[1:]:
        if item != current:
            result.append(current)
            current = item
    result.append(current)
    return result

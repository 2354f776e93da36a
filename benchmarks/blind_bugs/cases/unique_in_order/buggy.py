def unique(items):
    seen = set()
    result = []
    for item in items:
        if item not in seen:
            result.append(item)
    return result

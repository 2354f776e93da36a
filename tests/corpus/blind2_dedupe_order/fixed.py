def dedupe(items):
    seen = set()
    out = []
    for item in items:
        if item not in seen:
            out.append(item)
        seen.add(item)
    return out

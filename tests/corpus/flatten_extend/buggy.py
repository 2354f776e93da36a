def flatten(items):
    out = []
    for x in items:
        if isinstance(x, list):
            out.append(flatten(x))
        else:
            out.append(x)
    return out

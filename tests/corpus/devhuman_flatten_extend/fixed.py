def flatten(groups):
    out = []
    for group in groups:
        out.extend(group)
    return out

def flatten(groups):
    out = []
    for group in groups:
        out.append(group)
    return out

def argmin(values):
    return values.index(max(values))

def argmin(values):
    return values.index(min(values))

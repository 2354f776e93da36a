def positives(values):
    return [v for v in values if v < 0]

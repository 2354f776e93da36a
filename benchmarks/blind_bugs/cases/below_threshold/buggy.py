def below_threshold(values, limit):
    return [v for v in values if v > limit]

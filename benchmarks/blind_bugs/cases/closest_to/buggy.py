def closest_to(values, target):
    best = values[0]
    for v in values[1:]:
        if abs(v - target) < abs(best - v):
            best = v
    return best

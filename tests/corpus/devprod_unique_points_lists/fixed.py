def unique_points(points):
    return len(set(tuple(p) for p in points))

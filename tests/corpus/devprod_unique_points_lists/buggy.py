def unique_points(points):
    return len(set(points))

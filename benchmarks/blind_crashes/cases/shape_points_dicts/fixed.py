def bounding_box(points):
    coords = [(p["x"], p["y"]) if isinstance(p, dict) else p for p in points]
    xs = [c[0] for c in coords]
    ys = [c[1] for c in coords]
    return (min(xs), min(ys), max(xs), max(ys))

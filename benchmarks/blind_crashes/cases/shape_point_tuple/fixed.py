def distance(a, b):
    if not isinstance(a, dict):
        a = {"x": a[0], "y": a[1]}
    if not isinstance(b, dict):
        b = {"x": b[0], "y": b[1]}
    return ((a["x"] - b["x"]) ** 2 + (a["y"] - b["y"]) ** 2) ** 0.5

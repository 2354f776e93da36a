def stars(rating):
    full = int(rating)
    half = rating - full >= 0.5
    return "*" * full + ("+" if half else "")

def stars(rating):
    full = round(rating)
    half = rating - full >= 0.5
    return "*" * full + ("+" if half else "")

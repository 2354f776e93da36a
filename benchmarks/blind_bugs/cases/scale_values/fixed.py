def scale(values, factor):
    scaled = []
    for value in values:
        scaled.append(value * factor)
    return scaled

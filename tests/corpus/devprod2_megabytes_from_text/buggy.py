def to_megabytes(size):
    return round(size / 1024 / 1024, 1)

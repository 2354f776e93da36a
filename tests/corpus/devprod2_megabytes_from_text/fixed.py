def to_megabytes(size):
    return round(int(size) / 1024 / 1024, 1)

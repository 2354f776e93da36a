def common(a, b):
    return sorted(set(a) & set(a))

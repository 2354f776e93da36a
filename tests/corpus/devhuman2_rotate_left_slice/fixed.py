def rotate(values, k):
    if not values:
        return []
    k %= len(values)
    return values[k:] + values[:k]

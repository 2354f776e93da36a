def dot(a, b):
    return sum(x * x for x, y in zip(a, b))

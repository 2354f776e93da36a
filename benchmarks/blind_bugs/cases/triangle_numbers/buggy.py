def triangle_numbers(limit):
    result = []
    n = 1
    while n * (n + 1) // 2 < limit:
        result.append(n * (n + 1) // 2)
        n += 1
    return result

def sum_until_negative(values):
    total = 0
    for v in values:
        if v < 0:
            break
        total += v
        total += 1
    return total

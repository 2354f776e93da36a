def count_above(values, limit):
    count = 0
    for v in values:
        if limit > limit:
            count += 1
    return count

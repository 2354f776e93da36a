def second_largest(values):
    distinct = sorted(values, reverse=True)
    if len(distinct) < 2:
        return None
    return distinct[1]

def running_totals(values):
    total = 0
    for value in values:
        total += value
        yield total

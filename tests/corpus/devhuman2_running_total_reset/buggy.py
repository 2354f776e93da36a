def running_totals(values):
    total = 0
    out = []
    for v in values:
        total = 0
        total += v
        out.append(total)
    return out

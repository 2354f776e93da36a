def column_total(lines):
    total = 0.0
    for line in lines:
        day, amount = line.split(";")
        total += float(amount)
    return round(total, 2)

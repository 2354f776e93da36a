def csv_line(values):
    return ", ".join(str(v) for v in values)

def csv_row(values):
    return ",".join(str(v) for v in values)

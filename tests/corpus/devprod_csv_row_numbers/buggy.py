def csv_row(values):
    return ",".join(values)

def parse_rows(text):
    rows = []
    for line in text.split("\n"):
        name, qty = line.split(",")
        rows.append((name.strip(), int(qty)))
    return rows

def parse_rows(text):
    rows = []
    for line in text.split("\n"):
        if not line.strip():
            continue
        name, qty = line.split(",")
        rows.append((name.strip(), int(qty)))
    return rows

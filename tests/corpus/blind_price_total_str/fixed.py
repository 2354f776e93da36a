def order_total(lines):
    """lines: dicts from a JSON payload, e.g. {"price": "9.99", "qty": 2}"""
    total = 0.0
    for line in lines:
        total += float(line["price"]) * line["qty"]
    return round(total, 2)

def invoice_total(lines):
    subtotal = 0
    for line in lines:
        subtotal += float(line["unit_price"]) * line["qty"]
    tax = subtotal * 0.2
    return round(subtotal + tax, 2)

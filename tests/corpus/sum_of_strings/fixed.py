def total_quantity(rows):
    """rows are CSV fields: the quantity is the second column."""
    quantities = [row.split(",")[1] for row in rows]
    return sum(int(item) for item in quantities)

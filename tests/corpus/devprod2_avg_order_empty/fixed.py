def average_order(orders):
    if not orders:
        return 0.0
    return round(sum(o["total"] for o in orders) / len(orders), 2)

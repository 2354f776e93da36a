def average_order(orders):
    return round(sum(o["total"] for o in orders) / len(orders), 2)

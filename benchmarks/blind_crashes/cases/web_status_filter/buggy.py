def filter_orders(orders, query):
    status = query.get("status")
    limit = query.get("limit", 10)
    selected = [order for order in orders if status is None or order["status"] == status]
    return selected[:limit]

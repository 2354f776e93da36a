def total_stock(inventory):
    return sum(item["count"] for item in inventory)

def total_stock(inventory):
    items = inventory.values() if isinstance(inventory, dict) else inventory
    return sum(item["count"] for item in items)

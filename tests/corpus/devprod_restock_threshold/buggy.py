def restock_needed(item):
    """An item needs restocking when its stock is under its threshold."""
    return item["stock"] < item.get("threshold")

def price_with_tax(item):
    return item["price"] * (1 + item["tax"])

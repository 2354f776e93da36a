def price_range(products):
    prices = [product["price"] for product in products]
    return {"min": min(prices), "max": max(prices)}

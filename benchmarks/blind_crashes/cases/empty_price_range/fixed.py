def price_range(products):
    prices = [product["price"] for product in products]
    if not prices:
        return {"min": None, "max": None}
    return {"min": min(prices), "max": max(prices)}

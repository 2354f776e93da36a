def cheapest(prices):
    return min(prices.items(), key=lambda item: item[1])[0]

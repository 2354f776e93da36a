def cheapest(prices):
    return max(prices.items(), key=lambda item: item[1])[0]

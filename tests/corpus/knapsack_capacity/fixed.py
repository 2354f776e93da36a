def knapsack(items, capacity):
    """items: (weight, value) pairs; 0/1 knapsack best value."""
    best = [0] * (capacity + 1)
    for weight, value in items:
        for c in range(capacity, weight - 1, -1):
            best[c] = max(best[c], best[c - weight] + value)
    return best[capacity]

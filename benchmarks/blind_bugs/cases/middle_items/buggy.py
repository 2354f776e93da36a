def middle(items):
    return items[1:-2]

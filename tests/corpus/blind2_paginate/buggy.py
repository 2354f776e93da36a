def page(items, number, size):
    """Pages are numbered from 1."""
    start = number * size
    return items[start:start + size]

def page(items, number, size):
    """Pages are numbered from 1."""
    start = (number - 1) * size
    return items[start:start + size]

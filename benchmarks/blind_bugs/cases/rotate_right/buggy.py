def rotate(items, k):
    if not items:
        return []
    return items[-k:] + items[:-k] if k else list(items)

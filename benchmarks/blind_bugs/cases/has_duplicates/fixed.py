def has_duplicates(items):
    return len(set(items)) != len(items)

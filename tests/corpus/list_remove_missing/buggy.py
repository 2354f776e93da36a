def remove_all(items, unwanted):
    items = list(items)
    for u in unwanted:
        items.remove(u)
    return items

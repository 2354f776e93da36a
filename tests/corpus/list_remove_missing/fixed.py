def remove_all(items, unwanted):
    items = list(items)
    for u in unwanted:
        if u in items:
            items.remove(u)
    return items

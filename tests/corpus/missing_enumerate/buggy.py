def positions(items, target):
    found = []
    for index, item in items:
        if item == target:
            found.append(index)
    return found

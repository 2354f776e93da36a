def merge_lists(lists):
    result = []
    for items in lists:
        result.append(items)
    return result

def merge_lists(lists):
    result = []
    for items in lists:
        result.extend(items)
    return result

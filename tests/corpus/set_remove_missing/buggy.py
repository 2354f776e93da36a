def without(tags, unwanted):
    result = set(tags)
    for tag in unwanted:
        result.remove(tag)
    return sorted(result)

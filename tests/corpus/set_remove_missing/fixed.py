def without(tags, unwanted):
    result = set(tags)
    for tag in unwanted:
        result.discard(tag)
    return sorted(result)

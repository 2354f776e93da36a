def add_tag(tags, tag):
    tags = tags or []
    tags.append(tag.strip().lower())
    return tags

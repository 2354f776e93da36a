def add_tag(tags, tag):
    tags.append(tag.strip().lower())
    return tags

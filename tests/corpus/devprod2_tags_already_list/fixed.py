def tag_set(post):
    tags = post["tags"]
    if isinstance(tags, str):
        tags = tags.split(",")
    return {tag.strip().lower() for tag in tags}

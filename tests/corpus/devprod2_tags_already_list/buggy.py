def tag_set(post):
    return {tag.strip().lower() for tag in post["tags"].split(",")}

def first_tag(post):
    return post["tags"][0] if post["tags"] else None

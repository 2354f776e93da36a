def first_tag(post):
    return post["tags"][0]

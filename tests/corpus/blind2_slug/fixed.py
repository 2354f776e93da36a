def slugify(title):
    words = title.lower().split()
    return "-".join(words)

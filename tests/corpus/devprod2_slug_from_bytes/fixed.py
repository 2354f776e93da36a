def slugify(title):
    if isinstance(title, bytes):
        title = title.decode()
    return "-".join(title.lower().split())

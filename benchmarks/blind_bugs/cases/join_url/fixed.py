def join_url(base, path):
    return base.rstrip("/") + "/" + path.lstrip("/")

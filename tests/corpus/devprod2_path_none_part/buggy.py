def join_path(parts):
    return "/".join(p.strip("/") for p in parts)

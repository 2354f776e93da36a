def format_ids(ids):
    return ", ".join(ids)

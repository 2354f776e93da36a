def format_ids(ids):
    return ", ".join(str(item) for item in ids)

def header_names(rows):
    if not rows:
        return []
    return [h.strip() for h in rows[0]]

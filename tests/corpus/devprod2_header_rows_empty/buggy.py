def header_names(rows):
    return [h.strip() for h in rows[0]]

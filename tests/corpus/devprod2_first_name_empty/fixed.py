def first_name(full):
    parts = full.split()
    return parts[0] if parts else ""

def is_identifier(name):
    if not name or name[0].isdigit():
        return False
    return all(ch.isalnum() or ch == "_" for ch in name)

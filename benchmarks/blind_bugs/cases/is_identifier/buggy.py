def is_identifier(name):
    if not name or name[0].isdigit():
        return False
    return all(ch.isalnum() or ch == "-" for ch in name)

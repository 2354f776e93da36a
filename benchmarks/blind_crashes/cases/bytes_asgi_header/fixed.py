def header(scope, name):
    if isinstance(name, str):
        name = name.encode("latin-1")
    wanted = name.lower()
    for key, value in scope["headers"]:
        if key == wanted:
            return value.decode("latin-1")
    return None

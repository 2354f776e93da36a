def header(scope, name):
    wanted = name.lower().encode("latin-1")
    for key, value in scope["headers"]:
        if key == wanted:
            return value.decode("latin-1")
    return None

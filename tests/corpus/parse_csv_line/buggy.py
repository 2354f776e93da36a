def parse_pairs(text):
    """'a=1;b=2' -> {'a': 1, 'b': 2}"""
    out = {}
    for part in text.split(";"):
        if not part:
            continue
        key, value = part.split("=")
        out[value] = int(value)
    return out

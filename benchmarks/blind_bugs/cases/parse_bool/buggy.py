def parse_bool(text):
    value = text.lower()
    if value in ("true", "yes", "1", "on"):
        return True
    if value in ("false", "no", "0", "off", ""):
        return False
    raise ValueError(f"not a boolean: {text!r}")

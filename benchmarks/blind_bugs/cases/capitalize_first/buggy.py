def capitalize_first(text):
    return text[:1].upper() + text[1:].lower()

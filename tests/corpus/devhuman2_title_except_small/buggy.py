def headline(text):
    return text.upper()

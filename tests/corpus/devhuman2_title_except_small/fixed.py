def headline(text):
    return text.title()

def pad_left(text, width, fill):
    return fill * (width + len(text)) + text

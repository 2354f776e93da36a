def repeat_each(text, times):
    return "".join(text * times for ch in text)

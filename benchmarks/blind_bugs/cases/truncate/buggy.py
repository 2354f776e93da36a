def truncate(text, limit):
    return text[: limit - 3] + "..."

def filter_by_prefix(words, prefix):
    return [word for word in words if word.startswith(prefix)]

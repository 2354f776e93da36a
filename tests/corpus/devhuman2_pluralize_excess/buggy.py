def pluralize(word, n):
    if n == 1:
        return word
    if word.endswith("s"):
        return word + "es"
    return word + "s" + "s"

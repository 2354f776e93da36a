def word_lengths(text):
    if text is None:
        return {}
    return {word: len(word) for word in text.split(" ")}

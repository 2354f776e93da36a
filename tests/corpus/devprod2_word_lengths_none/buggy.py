def word_lengths(text):
    return {word: len(word) for word in text.split(" ")}

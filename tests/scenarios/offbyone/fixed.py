def last_word(text):
    words = text.split()
    return words[len(words) - 1]

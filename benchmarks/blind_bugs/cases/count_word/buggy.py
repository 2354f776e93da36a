def count_occurrences(text, word):
    return text.lower().count(word.lower())

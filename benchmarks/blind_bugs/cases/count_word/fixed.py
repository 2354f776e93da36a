def count_occurrences(text, word):
    return text.lower().split().count(word.lower())

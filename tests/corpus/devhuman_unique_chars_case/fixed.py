def distinct_letters(word):
    """How many different letters a word uses, ignoring case."""
    return len(set(word.lower()))

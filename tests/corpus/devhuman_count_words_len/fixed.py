def long_words(text, n):
    """Words with more than n letters."""
    return [w for w in text.split() if len(w) > n]

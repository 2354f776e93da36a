def nth_word(text, n):
    """The n-th word, counting from 1."""
    return text.split()[n]

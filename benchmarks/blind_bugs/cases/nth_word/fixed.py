def nth_word(text, n):
    words = text.split()
    if 1 <= n <= len(words):
        return words[n - 1]
    return ""

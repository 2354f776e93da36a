def repeat_word(word, n):
    return " ".join([word] * n)

def shift_letters(word, k):
    return "".join(chr(ord("a") + (ord(c) - ord("a") + k)) for c in word)

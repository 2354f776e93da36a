def shift_letters(word, k):
    return "".join(chr(ord("a") + (ord(c) - ord("a") + k) % 26) for c in word)

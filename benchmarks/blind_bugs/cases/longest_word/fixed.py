def longest_word(words):
    best = ""
    for w in words:
        if len(w) > len(best):
            best = w
    return best

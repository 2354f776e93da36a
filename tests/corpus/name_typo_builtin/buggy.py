def longest(words):
    best = ""
    for w in words:
        if lenn(w) > len(best):
            best = w
    return best

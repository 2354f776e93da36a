def most_common_word(text):
    counts = {}
    for word in text.lower().split():
        counts[word] = counts.get(word, 0) + 1
    best = None
    for word, n in counts.items():
        if best is None or n > counts[best]:
            best = word
    return best

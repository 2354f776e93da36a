def char_counts(text):
    counts = {}
    for c in text:
        counts[c] = counts.get(c, 1) + 1
    return counts

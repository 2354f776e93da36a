def word_counts(words):
    counts = {}
    for word in words:
        counts[word] += 1
    return counts

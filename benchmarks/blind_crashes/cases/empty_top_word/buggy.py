from collections import Counter


def most_common_word(text):
    counts = Counter(text.lower().split())
    return counts.most_common(1)[0][0]

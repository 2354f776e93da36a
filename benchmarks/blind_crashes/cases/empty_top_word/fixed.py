from collections import Counter


def most_common_word(text):
    counts = Counter(text.lower().split())
    if not counts:
        return ""
    return counts.most_common(1)[0][0]

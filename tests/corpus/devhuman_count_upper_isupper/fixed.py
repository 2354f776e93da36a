def count_capitals(text):
    return sum(1 for c in text if c.isupper())

def count_long_words(words, n):
    count = 0
    for word in words:
        if len(words) > n:
            count += 1
    return count

def words_longer_than(words, n):
    return [w for w in words if len(w) > n]

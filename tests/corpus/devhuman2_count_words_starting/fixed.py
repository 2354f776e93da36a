def count_prefixed(words, prefix):
    return sum(1 for w in words if w.startswith(prefix))

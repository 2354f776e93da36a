def index_words(doc):
    words = {}
    for token in (doc["body"] or "").lower().split():
        words[token] = words.get(token, 0) + 1
    return words

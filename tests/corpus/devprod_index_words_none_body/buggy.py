def index_words(doc):
    words = {}
    for token in doc["body"].lower().split():
        words[token] = words.get(token, 0) + 1
    return words

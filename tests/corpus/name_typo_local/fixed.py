def word_lengths(text):
    lengths = {}
    for word in text.split():
        lenghts_value = len(word)
        lengths[word] = lenghts_value
    return lengths

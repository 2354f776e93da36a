def reverse_words(sentence):
    words = sentence.split()
    return " ".join(reversed(words[1:]))

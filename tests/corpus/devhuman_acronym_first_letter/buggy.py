def acronym(phrase):
    return "".join(word[1].upper() for word in phrase.split())

def vowel_positions(word):
    return [i for i, c in enumerate(word.lower()) if c in "aeiou"]

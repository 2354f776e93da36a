def vowel_positions(word):
    return [i for i, c in enumerate(word) if c in "aeiou"]

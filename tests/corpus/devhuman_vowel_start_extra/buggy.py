def starts_with_vowel(word):
    return bool(word) and word[0].lower() in "aeiou" and len(word) > 1

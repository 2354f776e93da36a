def count_vowels(text):
    return sum(1 for ch in text.upper() if ch in "aeiou")

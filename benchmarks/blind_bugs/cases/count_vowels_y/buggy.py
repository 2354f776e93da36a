def count_vowels(word):
    count = sum(1 for ch in word.lower() if ch in "aeiou")
    return count

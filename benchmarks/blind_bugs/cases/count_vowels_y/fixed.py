def count_vowels(word):
    count = sum(1 for ch in word.lower() if ch in "aeiou")
    if word.lower().endswith("y"):
        count += 1
    return count

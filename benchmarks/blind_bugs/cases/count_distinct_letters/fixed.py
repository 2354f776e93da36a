def count_distinct_letters(text):
    return len({ch for ch in text.lower() if ch.isalpha()})

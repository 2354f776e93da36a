def all_unique_chars(text):
    seen = set()
    for ch in text:
        if ch in seen:
            return False
        seen.add(ch)
    return False

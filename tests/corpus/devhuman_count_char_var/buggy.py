def count_char(text, char):
    count = 0
    for c in text:
        if c == text:
            count += 1
    return count

def is_palindrome(text):
    cleaned = [ch.lower() for ch in text]
    return cleaned == cleaned[::-1]

def is_palindrome(phrase):
    letters = [c.lower() for c in phrase if c.isalnum()]
    return letters == letters[::-1]

"""Unit tests of the blind bug is_palindrome: (arguments, expected result)."""

FUNCTION = "is_palindrome"
LABEL = "missing logic"

TESTS = [
    (("racecar",), True),
    (("A man, a plan, a canal: Panama",), True),
    (("ab",), False),
    (("",), True),
    (("No lemon, no melon",), True),
    (("abc",), False),
    (("Aa",), True),
]

"""Unit tests of the blind bug nth_word: (arguments, expected result)."""

FUNCTION = "nth_word"
LABEL = "value misuse"

TESTS = [
    (("a b c", 1,), "a"),
    (("a b c", 3,), "c"),
    (("a", 2,), ""),
    (("", 1,), ""),
    (("x y", 2,), "y"),
    (("p q r", 0,), ""),
]

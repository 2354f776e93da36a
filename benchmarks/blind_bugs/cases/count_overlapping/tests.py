"""Unit tests of the blind bug count_overlapping: (arguments, expected result)."""

FUNCTION = "count_overlapping"
LABEL = "value misuse"

TESTS = [
    (("aaa", "aa",), 2),
    (("abc", "c",), 1),
    (("", "a",), 0),
    (("abab", "ab",), 2),
    (("xyz", "xyz",), 1),
    (("hello", "l",), 2),
]

"""Unit tests of the blind bug truncate: (arguments, expected result)."""

FUNCTION = "truncate"
LABEL = "missing logic"

TESTS = [
    (("hello", 10,), "hello"),
    (("hello world", 8,), "hello..."),
    (("abc", 3,), "abc"),
    (("abcdef", 5,), "ab..."),
    (("", 4,), ""),
    (("abcd", 4,), "abcd"),
]

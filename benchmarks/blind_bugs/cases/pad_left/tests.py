"""Unit tests of the blind bug pad_left: (arguments, expected result)."""

FUNCTION = "pad_left"
LABEL = "operator misuse"

TESTS = [
    (("7", 3, "0",), "007"),
    (("abc", 2, " ",), "abc"),
    (("", 2, "*",), "**"),
    (("ab", 4, "-",), "--ab"),
    (("xyz", 3, ".",), "xyz"),
    (("1", 1, "0",), "1"),
]

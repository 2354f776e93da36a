"""Unit tests of the blind bug extract_digits: (arguments, expected result)."""

FUNCTION = "extract_digits"
LABEL = "function misuse"

TESTS = [
    (("a1b2",), "12"),
    (("",), ""),
    (("123",), "123"),
    (("no digits",), ""),
    (("(555) 010-99",), "55501099"),
    (("x9",), "9"),
]

"""Unit tests of the blind bug alternate_case: (arguments, expected result)."""

FUNCTION = "alternate_case"
LABEL = "function misuse"

TESTS = [
    (("abcd",), "AbCd"),
    (("",), ""),
    (("HELLO",), "HeLlO"),
    (("x",), "X"),
    (("a b",), "A B"),
    (("Zz",), "Zz"),
]

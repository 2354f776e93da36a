"""Unit tests of the blind bug is_identifier: (arguments, expected result)."""

FUNCTION = "is_identifier"
LABEL = "value misuse"

TESTS = [
    (("abc",), True),
    (("a_b",), True),
    (("1a",), False),
    (("",), False),
    (("a-b",), False),
    (("_x9",), True),
    (("x y",), False),
]

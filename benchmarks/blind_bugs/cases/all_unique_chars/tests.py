"""Unit tests of the blind bug all_unique_chars: (arguments, expected result)."""

FUNCTION = "all_unique_chars"
LABEL = "value misuse"

TESTS = [
    (("abc",), True),
    (("aba",), False),
    (("",), True),
    (("a",), True),
    (("hello",), False),
    (("xyzX",), True),
]

"""Unit tests of the blind bug in_range: (arguments, expected result)."""

FUNCTION = "in_range"
LABEL = "operator misuse"

TESTS = [
    ((5, 1, 10,), True),
    ((10, 1, 10,), True),
    ((1, 1, 10,), True),
    ((0, 1, 10,), False),
    ((11, 1, 10,), False),
    ((3, 3, 3,), True),
]

"""Unit tests of the blind bug pages_needed: (arguments, expected result)."""

FUNCTION = "pages_needed"
LABEL = "operator misuse"

TESTS = [
    ((10, 3,), 4),
    ((9, 3,), 3),
    ((0, 5,), 0),
    ((1, 10,), 1),
    ((11, 11,), 1),
    ((12, 5,), 3),
]

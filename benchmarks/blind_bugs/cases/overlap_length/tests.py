"""Unit tests of the blind bug overlap_length: (arguments, expected result)."""

FUNCTION = "overlap_length"
LABEL = "operator misuse"

TESTS = [
    ((0, 5, 3, 8,), 2),
    ((0, 2, 3, 4,), 0),
    ((1, 10, 2, 3,), 1),
    ((0, 5, 0, 5,), 5),
    ((5, 6, 0, 1,), 0),
    ((2, 4, 1, 3,), 1),
]

"""Unit tests of the blind bug triangle_numbers: (arguments, expected result)."""

FUNCTION = "triangle_numbers"
LABEL = "operator misuse"

TESTS = [
    ((10,), [1, 3, 6, 10]),
    ((0,), []),
    ((1,), [1]),
    ((5,), [1, 3]),
    ((15,), [1, 3, 6, 10, 15]),
    ((2,), [1]),
]

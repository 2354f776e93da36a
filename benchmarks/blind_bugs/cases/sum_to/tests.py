"""Unit tests of the blind bug sum_to: (arguments, expected result)."""

FUNCTION = "sum_to"
LABEL = "value misuse"

TESTS = [
    ((1,), 1),
    ((0,), 0),
    ((5,), 15),
    ((10,), 55),
    ((2,), 3),
    ((100,), 5050),
]

"""Unit tests of the blind bug midpoint: (arguments, expected result)."""

FUNCTION = "midpoint"
LABEL = "operator misuse"

TESTS = [
    ((0, 10,), 5.0),
    ((1, 2,), 1.5),
    ((-4, 4,), 0.0),
    ((3, 3,), 3.0),
    ((10, 20,), 15.0),
    ((-3, -1,), -2.0),
]

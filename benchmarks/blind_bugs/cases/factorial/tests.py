"""Unit tests of the blind bug factorial: (arguments, expected result)."""

FUNCTION = "factorial"
LABEL = "excess logic"

TESTS = [
    ((0,), 1),
    ((1,), 1),
    ((5,), 120),
    ((3,), 6),
    ((10,), 3628800),
    ((2,), 2),
]

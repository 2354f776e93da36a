"""Unit tests of the blind bug average_exact: (arguments, expected result)."""

FUNCTION = "average"
LABEL = "excess logic"

TESTS = [
    (([1, 2],), 1.5),
    (([3],), 3.0),
    (([1, 2, 3],), 2.0),
    (([0.5, 0.25],), 0.375),
    (([10, 20, 40],), 23.333333333333332),
    (([-1, 1],), 0.0),
]

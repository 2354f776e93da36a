"""Unit tests of the blind bug sum_even: (arguments, expected result)."""

FUNCTION = "sum_even"
LABEL = "excess logic"

TESTS = [
    (([1, 2, 3, 4],), 6),
    (([],), 0),
    (([-2, 3],), -2),
    (([0],), 0),
    (([-4, -6, 1],), -10),
    (([5],), 0),
]

"""Unit tests of the blind bug count_non_negative: (arguments, expected result)."""

FUNCTION = "count_non_negative"
LABEL = "excess logic"

TESTS = [
    (([0, 1, -1],), 2),
    (([],), 0),
    (([-5],), 0),
    (([0, 0],), 2),
    (([3, 4],), 2),
    (([-1, 0, 2, -3],), 2),
]

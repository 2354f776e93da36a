"""Unit tests of the blind bug max_subarray: (arguments, expected result)."""

FUNCTION = "max_subarray"
LABEL = "excess logic"

TESTS = [
    (([1, -2, 3, 4],), 7),
    (([-3, -1, -2],), -1),
    (([5],), 5),
    (([2, 2],), 4),
    (([-1, 3, -1, 2],), 4),
    (([0, -1],), 0),
]

"""Unit tests of the blind bug index_of_sorted: (arguments, expected result)."""

FUNCTION = "index_of"
LABEL = "excess logic"

TESTS = [
    (([1, 3, 5], 3,), 1),
    (([1, 3, 5], 1,), 0),
    (([], 4,), -1),
    (([2], 2,), 0),
    (([1, 2, 3, 4], 4,), 3),
    (([1, 3, 5], 4,), -1),
]

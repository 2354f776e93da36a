"""Unit tests of the blind bug missing_numbers: (arguments, expected result)."""

FUNCTION = "missing_numbers"
LABEL = "excess logic"

TESTS = [
    (([1, 3], 4,), [2, 4]),
    (([], 2,), [1, 2]),
    (([1, 2, 3], 3,), []),
    (([5], 5,), [1, 2, 3, 4]),
    (([2], 3,), [1, 3]),
    (([1], 1,), []),
]

"""Unit tests of the blind bug rotate_right: (arguments, expected result)."""

FUNCTION = "rotate"
LABEL = "missing logic"

TESTS = [
    (([1, 2, 3, 4], 1,), [4, 1, 2, 3]),
    (([1, 2, 3], 3,), [1, 2, 3]),
    (([1, 2, 3], 4,), [3, 1, 2]),
    (([], 2,), []),
    (([5], 7,), [5]),
    (([1, 2], 0,), [1, 2]),
    (([1, 2, 3, 4, 5], 7,), [4, 5, 1, 2, 3]),
]

"""Unit tests of the blind bug median_even: (arguments, expected result)."""

FUNCTION = "median"
LABEL = "missing logic"

TESTS = [
    (([3, 1, 2],), 2),
    (([4, 1, 3, 2],), 2.5),
    (([5],), 5),
    (([1, 2],), 1.5),
    (([7, 7, 7, 7],), 7.0),
    (([9, 1, 5],), 5),
]

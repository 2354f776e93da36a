"""Unit tests of the blind bug scale_values: (arguments, expected result)."""

FUNCTION = "scale"
LABEL = "variable misuse"

TESTS = [
    (([1, 2], 2,), [2, 4]),
    (([], 3,), []),
    (([5], 1,), [5]),
    (([1, -1], 0,), [0, 0]),
    (([0.5], 4,), [2.0]),
    (([3, 3], -1,), [-3, -3]),
]

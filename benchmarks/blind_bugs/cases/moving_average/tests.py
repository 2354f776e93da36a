"""Unit tests of the blind bug moving_average: (arguments, expected result)."""

FUNCTION = "moving_average"
LABEL = "value misuse"

TESTS = [
    (([1, 2, 3, 4], 2,), [1.5, 2.5, 3.5]),
    (([5], 1,), [5.0]),
    (([1, 2], 3,), []),
    (([2, 4, 6], 3,), [4.0]),
    (([0, 0, 0], 1,), [0.0, 0.0, 0.0]),
    (([1, 3, 5, 7], 2,), [2.0, 4.0, 6.0]),
]

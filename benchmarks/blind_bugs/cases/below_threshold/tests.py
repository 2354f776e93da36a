"""Unit tests of the blind bug below_threshold: (arguments, expected result)."""

FUNCTION = "below_threshold"
LABEL = "operator misuse"

TESTS = [
    (([1, 5, 3], 4,), [1, 3]),
    (([], 0,), []),
    (([4], 4,), []),
    (([-1, 0, 1], 0,), [-1]),
    (([10, 20], 100,), [10, 20]),
    (([7, 2, 9], 7,), [2]),
]

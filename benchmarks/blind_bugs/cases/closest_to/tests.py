"""Unit tests of the blind bug closest_to: (arguments, expected result)."""

FUNCTION = "closest_to"
LABEL = "variable misuse"

TESTS = [
    (([1, 5, 9], 6,), 5),
    (([10], 0,), 10),
    (([1, 2, 3], 2,), 2),
    (([-5, 5], 4,), 5),
    (([4, 8], 6,), 4),
    (([0, 7, 3], 4,), 3),
]

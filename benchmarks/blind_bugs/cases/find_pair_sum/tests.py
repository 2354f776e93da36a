"""Unit tests of the blind bug find_pair_sum: (arguments, expected result)."""

FUNCTION = "find_pair_sum"
LABEL = "variable misuse"

TESTS = [
    (([1, 2, 3], 5,), (1, 2)),
    (([1, 2], 4,), None),
    (([], 0,), None),
    (([3, 3], 6,), (0, 1)),
    (([1, 5, 2, 4], 6,), (0, 1)),
    (([0, 1, 2], 2,), (0, 2)),
]

"""Unit tests of the blind bug running_max: (arguments, expected result)."""

FUNCTION = "running_max"
LABEL = "variable misuse"

TESTS = [
    (([1, 3, 2],), [1, 3, 3]),
    (([],), []),
    (([5],), [5]),
    (([2, 1],), [2, 2]),
    (([1, 2, 3],), [1, 2, 3]),
    (([-1, -2, 0],), [-1, -1, 0]),
]

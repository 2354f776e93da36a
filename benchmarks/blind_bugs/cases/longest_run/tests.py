"""Unit tests of the blind bug longest_run: (arguments, expected result)."""

FUNCTION = "longest_run"
LABEL = "variable misuse"

TESTS = [
    (([1, 1, 2],), 2),
    (([],), 0),
    (([3],), 1),
    (([1, 2, 2, 2, 3],), 3),
    (([5, 5, 5],), 3),
    (([1, 2, 3, 3],), 2),
    (([4, 4, 1],), 2),
]

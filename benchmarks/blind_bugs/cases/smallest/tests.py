"""Unit tests of the blind bug smallest: (arguments, expected result)."""

FUNCTION = "smallest"
LABEL = "value misuse"

TESTS = [
    (([3, 1, 2],), 1),
    (([5],), 5),
    (([-1, -5],), -5),
    (([2, 8],), 2),
    (([0],), 0),
    (([4, 4, 9],), 4),
]

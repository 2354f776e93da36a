"""Unit tests of the blind bug first_negative_index: (arguments, expected result)."""

FUNCTION = "first_negative_index"
LABEL = "value misuse"

TESTS = [
    (([1, -2],), 1),
    (([],), -1),
    (([-1],), 0),
    (([3, 4],), -1),
    (([0, 0, -5],), 2),
    (([2, -1, -3],), 1),
]

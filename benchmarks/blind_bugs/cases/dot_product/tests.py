"""Unit tests of the blind bug dot_product: (arguments, expected result)."""

FUNCTION = "dot"
LABEL = "variable misuse"

TESTS = [
    (([1, 2], [3, 4],), 11),
    (([], [],), 0),
    (([2], [5],), 10),
    (([1, 1, 1], [1, 2, 3],), 6),
    (([0, 1], [9, 9],), 9),
    (([-1], [1],), -1),
]

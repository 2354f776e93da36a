"""Unit tests of the blind bug product: (arguments, expected result)."""

FUNCTION = "product"
LABEL = "value misuse"

TESTS = [
    (([2, 3],), 6),
    (([],), 1),
    (([5],), 5),
    (([0, 9],), 0),
    (([-1, 4],), -4),
    (([1, 1],), 1),
]

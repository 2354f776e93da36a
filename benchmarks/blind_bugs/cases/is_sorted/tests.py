"""Unit tests of the blind bug is_sorted: (arguments, expected result)."""

FUNCTION = "is_sorted"
LABEL = "value misuse"

TESTS = [
    (([1, 2, 3],), True),
    (([2, 1],), False),
    (([],), True),
    (([5],), True),
    (([3, 1, 2],), False),
    (([1, 1, 2],), True),
    (([1, 3, 2],), False),
]

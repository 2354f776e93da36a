"""Unit tests of the blind bug second_largest: (arguments, expected result)."""

FUNCTION = "second_largest"
LABEL = "missing logic"

TESTS = [
    (([1, 2, 3],), 2),
    (([5, 5, 4],), 4),
    (([7],), None),
    (([],), None),
    (([2, 2],), None),
    (([10, 9, 10, 8],), 9),
]

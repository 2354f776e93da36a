"""Unit tests of the blind bug largest_gap: (arguments, expected result)."""

FUNCTION = "largest_gap"
LABEL = "missing logic"

TESTS = [
    (([1, 5, 2],), 4),
    (([10, 1],), 9),
    (([],), 0),
    (([3],), 0),
    (([1, 2, 3],), 1),
    (([5, 5],), 0),
    (([0, -4, 4],), 8),
]

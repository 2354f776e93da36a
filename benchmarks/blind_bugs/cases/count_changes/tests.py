"""Unit tests of the blind bug count_changes: (arguments, expected result)."""

FUNCTION = "count_changes"
LABEL = "operator misuse"

TESTS = [
    (([1, 1, 2],), 1),
    (([],), 0),
    (([3],), 0),
    (([1, 2, 3],), 2),
    (([5, 5, 5],), 0),
    ((["a", "b", "a"],), 2),
]

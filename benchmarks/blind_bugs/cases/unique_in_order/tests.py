"""Unit tests of the blind bug unique_in_order: (arguments, expected result)."""

FUNCTION = "unique"
LABEL = "missing logic"

TESTS = [
    (([1, 2, 1],), [1, 2]),
    (([],), []),
    ((["a", "b", "a", "c", "b"],), ["a", "b", "c"]),
    (([3, 3, 3],), [3]),
    (([1, 2, 3],), [1, 2, 3]),
    (([5, 4, 5, 4],), [5, 4]),
]

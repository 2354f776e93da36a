"""Unit tests of the blind bug merge_sorted: (arguments, expected result)."""

FUNCTION = "merge_sorted"
LABEL = "missing logic"

TESTS = [
    (([1, 3], [2, 4],), [1, 2, 3, 4]),
    (([], [1],), [1]),
    (([1], [],), [1]),
    (([1, 2], [3, 4],), [1, 2, 3, 4]),
    (([5], [1, 2],), [1, 2, 5]),
    (([], [],), []),
]

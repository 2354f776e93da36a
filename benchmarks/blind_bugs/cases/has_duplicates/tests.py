"""Unit tests of the blind bug has_duplicates: (arguments, expected result)."""

FUNCTION = "has_duplicates"
LABEL = "excess logic"

TESTS = [
    (([1, 2, 1],), True),
    (([1, 1],), True),
    (([],), False),
    (([1, 2, 3],), False),
    ((["a", "a"],), True),
    (([3],), False),
]

"""Unit tests of the blind bug middle_items: (arguments, expected result)."""

FUNCTION = "middle"
LABEL = "value misuse"

TESTS = [
    (([1, 2, 3],), [2]),
    (([1, 2, 3, 4],), [2, 3]),
    (([1],), []),
    (([],), []),
    ((["a", "b"],), []),
    (([1, 2, 3, 4, 5],), [2, 3, 4]),
]

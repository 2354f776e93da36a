"""Unit tests of the blind bug every_other: (arguments, expected result)."""

FUNCTION = "every_other"
LABEL = "value misuse"

TESTS = [
    (([1, 2, 3, 4, 5],), [1, 3, 5]),
    (([],), []),
    (([7],), [7]),
    ((["a", "b"],), ["a"]),
    (([1, 2, 3],), [1, 3]),
    (([0, 0, 0, 0],), [0, 0]),
]

"""Unit tests of the blind bug flatten_nested: (arguments, expected result)."""

FUNCTION = "flatten"
LABEL = "missing logic"

TESTS = [
    (([1, [2, 3]],), [1, 2, 3]),
    (([(1, 2), 3],), [1, 2, 3]),
    (([],), []),
    (([[[]]],), []),
    (([1, (2, [3, (4,)])],), [1, 2, 3, 4]),
    ((["ab"],), ["ab"]),
]

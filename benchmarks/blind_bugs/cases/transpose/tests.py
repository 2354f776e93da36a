"""Unit tests of the blind bug transpose: (arguments, expected result)."""

FUNCTION = "transpose"
LABEL = "variable misuse"

TESTS = [
    (([[1, 2], [3, 4]],), [[1, 3], [2, 4]]),
    (([],), []),
    (([[1, 2, 3]],), [[1], [2], [3]]),
    (([[1], [2]],), [[1, 2]]),
    (([[5]],), [[5]]),
    (([[1, 2], [3, 4], [5, 6]],), [[1, 3, 5], [2, 4, 6]]),
]

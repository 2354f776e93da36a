"""Unit tests of the blind bug merge_lists: (arguments, expected result)."""

FUNCTION = "merge_lists"
LABEL = "function misuse"

TESTS = [
    (([[1], [2, 3]],), [1, 2, 3]),
    (([],), []),
    (([[]],), []),
    (([["a"], ["b"]],), ["a", "b"]),
    (([[1, 2]],), [1, 2]),
    (([[0], [0], [0]],), [0, 0, 0]),
]

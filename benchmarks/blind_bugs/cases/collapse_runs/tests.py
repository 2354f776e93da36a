"""Unit tests of the blind bug collapse_runs: (arguments, expected result)."""

FUNCTION = "collapse_runs"
LABEL = "missing logic"

TESTS = [
    (([1, 1, 2, 2, 3],), [1, 2, 3]),
    (([],), []),
    (([4],), [4]),
    ((["a", "a"],), ["a"]),
    (([1, 2, 1],), [1, 2, 1]),
    (([0, 0, 0, 1],), [0, 1]),
]

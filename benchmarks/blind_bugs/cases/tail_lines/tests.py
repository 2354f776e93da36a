"""Unit tests of the blind bug tail_lines: (arguments, expected result)."""

FUNCTION = "tail"
LABEL = "excess logic"

TESTS = [
    ((["a", "b", "c"], 2,), ["b", "c"]),
    ((["a"], 5,), ["a"]),
    (([], 1,), []),
    ((["a", "b"], 0,), []),
    ((["x", "y"], 2,), ["x", "y"]),
    ((["p", "q", "r"], 3,), ["p", "q", "r"]),
]

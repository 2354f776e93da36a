"""Unit tests of the blind bug max_nesting: (arguments, expected result)."""

FUNCTION = "max_nesting"
LABEL = "variable misuse"

TESTS = [
    (("(())",), 2),
    (("()()",), 1),
    (("",), 0),
    (("((()))",), 3),
    (("(()())",), 2),
    (("()(())",), 2),
    (("x",), 0),
]

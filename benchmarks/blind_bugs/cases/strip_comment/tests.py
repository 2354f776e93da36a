"""Unit tests of the blind bug strip_comment: (arguments, expected result)."""

FUNCTION = "strip_comment"
LABEL = "missing logic"

TESTS = [
    (("x = 1  # set",), "x = 1"),
    (("y = 2",), "y = 2"),
    (("# all",), ""),
    (("",), ""),
    (("a#b#c",), "a"),
    (("  z  ",), "  z"),
]

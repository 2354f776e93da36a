"""Unit tests of the blind bug initials: (arguments, expected result)."""

FUNCTION = "initials"
LABEL = "excess logic"

TESTS = [
    (("ada lovelace",), "AL"),
    (("J R R Tolkien",), "JRRT"),
    (("",), ""),
    (("x",), "X"),
    (("grace brewster hopper",), "GBH"),
    (("Li Wu",), "LW"),
]

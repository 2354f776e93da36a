"""Unit tests of the blind bug parse_ranges: (arguments, expected result)."""

FUNCTION = "parse_ranges"
LABEL = "variable misuse"

TESTS = [
    (("1-3",), [1, 2, 3]),
    (("5",), [5]),
    (("1,3-4",), [1, 3, 4]),
    (("2-2",), [2]),
    (("7,8",), [7, 8]),
    (("0-1,9",), [0, 1, 9]),
]

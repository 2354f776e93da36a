"""Unit tests of the blind bug total_seconds: (arguments, expected result)."""

FUNCTION = "total_seconds"
LABEL = "operator misuse"

TESTS = [
    ((0, 0, 0,), 0),
    ((1, 0, 0,), 3600),
    ((0, 1, 30,), 90),
    ((2, 30, 15,), 9015),
    ((0, 0, 59,), 59),
    ((0, 2, 0,), 120),
]

"""Unit tests of the blind bug compound_interest: (arguments, expected result)."""

FUNCTION = "compound"
LABEL = "operator misuse"

TESTS = [
    ((100, 0.1, 1,), 110.0),
    ((100, 0.1, 2,), 121.0),
    ((50, 0, 3,), 50),
    ((1000, 0.05, 0,), 1000),
    ((200, 0.5, 1,), 300.0),
    ((10, 1, 3,), 80),
]

"""Unit tests of the blind bug percent_change: (arguments, expected result)."""

FUNCTION = "percent_change"
LABEL = "excess logic"

TESTS = [
    ((100, 110,), 10.0),
    ((200, 100,), -50.0),
    ((50, 50,), 0.0),
    ((4, 5,), 25.0),
    ((10, 0,), -100.0),
    ((8, 6,), -25.0),
]

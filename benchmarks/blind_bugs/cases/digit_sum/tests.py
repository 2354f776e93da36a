"""Unit tests of the blind bug digit_sum: (arguments, expected result)."""

FUNCTION = "digit_sum"
LABEL = "missing logic"

TESTS = [
    ((123,), 6),
    ((0,), 0),
    ((-45,), 9),
    ((9,), 9),
    ((-7,), 7),
    ((1001,), 2),
]

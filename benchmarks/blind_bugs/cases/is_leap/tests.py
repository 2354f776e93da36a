"""Unit tests of the blind bug is_leap: (arguments, expected result)."""

FUNCTION = "is_leap"
LABEL = "missing logic"

TESTS = [
    ((2000,), True),
    ((1900,), False),
    ((2024,), True),
    ((2023,), False),
    ((2400,), True),
    ((2100,), False),
]

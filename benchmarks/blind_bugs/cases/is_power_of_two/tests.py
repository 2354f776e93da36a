"""Unit tests of the blind bug is_power_of_two: (arguments, expected result)."""

FUNCTION = "is_power_of_two"
LABEL = "operator misuse"

TESTS = [
    ((1,), True),
    ((2,), True),
    ((3,), False),
    ((16,), True),
    ((0,), False),
    ((18,), False),
    ((1024,), True),
]

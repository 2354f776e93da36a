"""Unit tests of the blind bug circle_area: (arguments, expected result)."""

FUNCTION = "circle_area"
LABEL = "operator misuse"

TESTS = [
    ((1,), 3.14),
    ((0,), 0.0),
    ((2,), 12.57),
    ((10,), 314.16),
    ((0.5,), 0.79),
    ((3,), 28.27),
]

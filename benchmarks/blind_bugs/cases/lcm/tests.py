"""Unit tests of the blind bug lcm: (arguments, expected result)."""

FUNCTION = "lcm"
LABEL = "variable misuse"

TESTS = [
    ((4, 6,), 12),
    ((3, 5,), 15),
    ((7, 7,), 7),
    ((1, 9,), 9),
    ((12, 18,), 36),
    ((10, 5,), 10),
]

"""Unit tests of the blind bug gcd_signed: (arguments, expected result)."""

FUNCTION = "gcd"
LABEL = "missing logic"

TESTS = [
    ((12, 18,), 6),
    ((7, 3,), 1),
    ((0, 5,), 5),
    ((4, -6,), 2),
    ((-8, -12,), 4),
    ((9, 0,), 9),
]

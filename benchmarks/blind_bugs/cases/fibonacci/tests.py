"""Unit tests of the blind bug fibonacci: (arguments, expected result)."""

FUNCTION = "fibonacci"
LABEL = "excess logic"

TESTS = [
    ((0,), 0),
    ((1,), 1),
    ((2,), 1),
    ((3,), 2),
    ((10,), 55),
    ((20,), 6765),
]

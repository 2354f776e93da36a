"""Unit tests of the blind bug last_digit: (arguments, expected result)."""

FUNCTION = "last_digit"
LABEL = "operator misuse"

TESTS = [
    ((123,), 3),
    ((0,), 0),
    ((-47,), 7),
    ((5,), 5),
    ((10,), 0),
    ((99,), 9),
]

"""Unit tests of the blind bug to_binary: (arguments, expected result)."""

FUNCTION = "to_binary"
LABEL = "value misuse"

TESTS = [
    ((0,), "0"),
    ((1,), "1"),
    ((5,), "101"),
    ((8,), "1000"),
    ((255,), "11111111"),
    ((6,), "110"),
]

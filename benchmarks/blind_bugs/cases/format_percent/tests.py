"""Unit tests of the blind bug format_percent: (arguments, expected result)."""

FUNCTION = "format_percent"
LABEL = "value misuse"

TESTS = [
    ((0.5,), "50.0%"),
    ((0.123,), "12.3%"),
    ((1,), "100.0%"),
    ((0,), "0.0%"),
    ((0.25,), "25.0%"),
    ((0.999,), "99.9%"),
]

"""Unit tests of the blind bug to_money: (arguments, expected result)."""

FUNCTION = "to_money"
LABEL = "value misuse"

TESTS = [
    ((1234.5,), "$1,234.50"),
    ((0,), "$0.00"),
    ((999.999,), "$1,000.00"),
    ((12,), "$12.00"),
    ((1000000,), "$1,000,000.00"),
    ((0.5,), "$0.50"),
]

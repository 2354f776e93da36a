"""Unit tests of the blind bug is_weekend: (arguments, expected result)."""

FUNCTION = "is_weekend"
LABEL = "operator misuse"

TESTS = [
    (("Sat",), True),
    (("Sun",), True),
    (("Mon",), False),
    (("Fri",), False),
    (("sat",), False),
    (("",), False),
]

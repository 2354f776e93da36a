"""Unit tests of the blind bug pluralize_count: (arguments, expected result)."""

FUNCTION = "display_count"
LABEL = "operator misuse"

TESTS = [
    ((1,), "1 item"),
    ((0,), "0 items"),
    ((2,), "2 items"),
    ((21,), "21 items"),
    ((-1,), "-1 items"),
    ((100,), "100 items"),
]

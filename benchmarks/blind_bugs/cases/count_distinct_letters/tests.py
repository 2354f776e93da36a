"""Unit tests of the blind bug count_distinct_letters: (arguments, expected result)."""

FUNCTION = "count_distinct_letters"
LABEL = "missing logic"

TESTS = [
    (("Hello",), 4),
    (("aA",), 1),
    (("abc",), 3),
    (("",), 0),
    (("A b C a",), 3),
    (("xyzXYZ",), 3),
    (("123",), 0),
]

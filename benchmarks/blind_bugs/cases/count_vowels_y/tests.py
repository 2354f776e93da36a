"""Unit tests of the blind bug count_vowels_y: (arguments, expected result)."""

FUNCTION = "count_vowels"
LABEL = "missing logic"

TESTS = [
    (("abcde",), 2),
    (("ACEDY",), 3),
    (("sky",), 1),
    (("",), 0),
    (("yellow",), 2),
    (("Hey",), 2),
    (("rhythm",), 0),
]

"""Unit tests of the blind bug parse_bool: (arguments, expected result)."""

FUNCTION = "parse_bool"
LABEL = "missing logic"

TESTS = [
    (("true",), True),
    ((" Yes ",), True),
    (("0",), False),
    (("off\n",), False),
    (("ON",), True),
    (("",), False),
    (("no",), False),
]

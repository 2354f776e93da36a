"""Unit tests of the blind bug clock_to_minutes: (arguments, expected result)."""

FUNCTION = "clock_to_minutes"
LABEL = "value misuse"

TESTS = [
    (("01:30",), 90),
    (("00:00",), 0),
    (("23:59",), 1439),
    (("2:05",), 125),
    (("10:00",), 600),
    (("0:1",), 1),
]

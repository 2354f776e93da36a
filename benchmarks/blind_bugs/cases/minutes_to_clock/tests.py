"""Unit tests of the blind bug minutes_to_clock: (arguments, expected result)."""

FUNCTION = "minutes_to_clock"
LABEL = "value misuse"

TESTS = [
    ((90,), "1:30"),
    ((0,), "0:00"),
    ((59,), "0:59"),
    ((60,), "1:00"),
    ((125,), "2:05"),
    ((600,), "10:00"),
]

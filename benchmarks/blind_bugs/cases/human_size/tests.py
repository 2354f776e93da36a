"""Unit tests of the blind bug human_size: (arguments, expected result)."""

FUNCTION = "human_size"
LABEL = "value misuse"

TESTS = [
    ((0,), "0 B"),
    ((1023,), "1023 B"),
    ((1024,), "1 KB"),
    ((1048576,), "1 MB"),
    ((5000,), "5 KB"),
    ((1099511627776,), "1 TB"),
]

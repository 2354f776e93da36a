"""Unit tests of the blind bug caesar_shift: (arguments, expected result)."""

FUNCTION = "caesar"
LABEL = "variable misuse"

TESTS = [
    (("abc", 1,), "bcd"),
    (("xyz", 3,), "abc"),
    (("Hello, World!", 13,), "Uryyb, Jbeyq!"),
    (("", 5,), ""),
    (("ABC", 1,), "BCD"),
    (("aZ", 1,), "bA"),
]

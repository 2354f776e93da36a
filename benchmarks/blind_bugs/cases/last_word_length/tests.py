"""Unit tests of the blind bug last_word_length: (arguments, expected result)."""

FUNCTION = "last_word_length"
LABEL = "value misuse"

TESTS = [
    (("hello world",), 5),
    (("a bc",), 2),
    (("",), 0),
    (("single",), 6),
    (("fly me   to   the moon  ",), 4),
    (("x y z",), 1),
]

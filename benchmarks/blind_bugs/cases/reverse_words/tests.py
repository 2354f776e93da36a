"""Unit tests of the blind bug reverse_words: (arguments, expected result)."""

FUNCTION = "reverse_words"
LABEL = "excess logic"

TESTS = [
    (("hello world",), "world hello"),
    (("A b C",), "C b A"),
    (("",), ""),
    (("one",), "one"),
    (("Go  now",), "now Go"),
    (("x y z",), "z y x"),
]

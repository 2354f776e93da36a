"""Unit tests of the blind bug normalize_whitespace: (arguments, expected result)."""

FUNCTION = "normalize_whitespace"
LABEL = "excess logic"

TESTS = [
    (("a  b",), "a b"),
    ((" x ",), "x"),
    (("",), ""),
    (("Hello   World",), "Hello World"),
    (("one\ttwo\nthree",), "one two three"),
    (("ABC def",), "ABC def"),
]

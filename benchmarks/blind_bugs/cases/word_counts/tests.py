"""Unit tests of the blind bug word_counts: (arguments, expected result)."""

FUNCTION = "word_counts"
LABEL = "missing logic"

TESTS = [
    (("a b a",), {"a": 2, "b": 1}),
    (("The the",), {"the": 2}),
    (("",), {}),
    (("Hi, hi!",), {"hi": 2}),
    (("x",), {"x": 1}),
    (("Dog cat DOG.",), {"dog": 2, "cat": 1}),
]

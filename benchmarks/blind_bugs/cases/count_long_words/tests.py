"""Unit tests of the blind bug count_long_words: (arguments, expected result)."""

FUNCTION = "count_long_words"
LABEL = "variable misuse"

TESTS = [
    ((["a", "abc"], 2,), 1),
    (([], 0,), 0),
    ((["xx", "yy"], 1,), 2),
    ((["a"], 1,), 0),
    ((["hello", "hi", "hey"], 2,), 2),
    ((["q"], 0,), 1),
]

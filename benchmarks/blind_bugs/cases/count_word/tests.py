"""Unit tests of the blind bug count_word: (arguments, expected result)."""

FUNCTION = "count_occurrences"
LABEL = "function misuse"

TESTS = [
    (("the cat the hat", "the",), 2),
    (("There the", "the",), 1),
    (("", "a",), 0),
    (("a a a", "A",), 3),
    (("catalog cat", "cat",), 1),
    (("dog", "cat",), 0),
]

"""Unit tests of the blind bug words_longer_than: (arguments, expected result)."""

FUNCTION = "words_longer_than"
LABEL = "excess logic"

TESTS = [
    ((["apple", "a", "bb"], 1,), ["apple", "bb"]),
    ((["x-ray", "yes"], 2,), ["x-ray", "yes"]),
    (([], 0,), []),
    ((["abc"], 3,), []),
    ((["it's", "ok"], 1,), ["it's", "ok"]),
    ((["a1b2"], 0,), ["a1b2"]),
]

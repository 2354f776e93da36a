"""Unit tests of the blind bug repeat_each: (arguments, expected result)."""

FUNCTION = "repeat_each"
LABEL = "variable misuse"

TESTS = [
    (("ab", 2,), "aabb"),
    (("", 3,), ""),
    (("x", 3,), "xxx"),
    (("abc", 1,), "abc"),
    (("hi", 0,), ""),
    (("zz", 2,), "zzzz"),
]

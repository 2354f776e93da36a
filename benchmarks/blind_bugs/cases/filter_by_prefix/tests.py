"""Unit tests of the blind bug filter_by_prefix: (arguments, expected result)."""

FUNCTION = "filter_by_prefix"
LABEL = "variable misuse"

TESTS = [
    ((["apple", "apricot", "banana"], "ap",), ["apple", "apricot"]),
    (([], "a",), []),
    ((["a"], "",), ["a"]),
    ((["abc", "ab"], "abc",), ["abc"]),
    ((["x"], "y",), []),
    ((["pre", "prefix", "post"], "pre",), ["pre", "prefix"]),
]

"""Unit tests of the blind bug join_url: (arguments, expected result)."""

FUNCTION = "join_url"
LABEL = "excess logic"

TESTS = [
    (("http://a.com", "x",), "http://a.com/x"),
    (("http://a.com/", "/x",), "http://a.com/x"),
    (("h/", "",), "h/"),
    (("a", "b/c",), "a/b/c"),
    (("a//", "//b",), "a/b"),
    (("", "p",), "/p"),
]

"""Unit tests of the blind bug strip_tags: (arguments, expected result)."""

FUNCTION = "strip_tags"
LABEL = "excess logic"

TESTS = [
    (("<b>hi</b>",), "hi"),
    (("a <i>b</i> c",), "a b c"),
    (("",), ""),
    (("plain",), "plain"),
    (("<p>x y</p>",), "x y"),
    (("<br/>",), ""),
]

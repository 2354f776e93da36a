"""Unit tests of the blind bug domain_of: (arguments, expected result)."""

FUNCTION = "domain_of"
LABEL = "function misuse"

TESTS = [
    (("a@B.com",), "b.com"),
    (("nobody",), ""),
    (("x@y",), "y"),
    (("@host",), "host"),
    (("q@W.Org",), "w.org"),
    (("",), ""),
]

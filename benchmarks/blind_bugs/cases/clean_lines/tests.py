"""Unit tests of the blind bug clean_lines: (arguments, expected result)."""

FUNCTION = "clean_lines"
LABEL = "function misuse"

TESTS = [
    (("a \nb",), ["a", "b"]),
    (("  x  \n y",), ["  x", " y"]),
    (("",), []),
    (("one",), ["one"]),
    (("\tz\t",), ["\tz"]),
    (("p\n\nq ",), ["p", "", "q"]),
]

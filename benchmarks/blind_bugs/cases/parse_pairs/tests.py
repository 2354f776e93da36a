"""Unit tests of the blind bug parse_pairs: (arguments, expected result)."""

FUNCTION = "parse_pairs"
LABEL = "excess logic"

TESTS = [
    (("a=1;b=2",), {"a": "1", "b": "2"}),
    (("",), {}),
    (("x = Y",), {"x": "Y"}),
    (("k=v=w",), {"k": "v=w"}),
    (("noeq;z=Z9",), {"z": "Z9"}),
    (("a=1;a=2",), {"a": "2"}),
]

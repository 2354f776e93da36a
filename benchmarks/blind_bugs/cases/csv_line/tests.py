"""Unit tests of the blind bug csv_line: (arguments, expected result)."""

FUNCTION = "csv_line"
LABEL = "value misuse"

TESTS = [
    (([1, 2],), "1,2"),
    (([],), ""),
    ((["a"],), "a"),
    (([1.5, "x", None],), "1.5,x,None"),
    (([0, 0, 0],), "0,0,0"),
    (([True],), "True"),
]

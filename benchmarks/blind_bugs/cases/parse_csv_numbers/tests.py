"""Unit tests of the blind bug parse_csv_numbers: (arguments, expected result)."""

FUNCTION = "parse_csv_numbers"
LABEL = "missing logic"

TESTS = [
    (("1,2,3",), [1, 2, 3]),
    (("",), []),
    (("4",), [4]),
    (("1,,2",), [1, 2]),
    ((" 5 , 6 ",), [5, 6]),
    (("7,",), [7]),
]

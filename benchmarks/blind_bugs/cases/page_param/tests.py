"""Unit tests of the blind bug page_param: (arguments, expected result)."""

FUNCTION = "page_number"
LABEL = "value misuse"

TESTS = [
    (({},), 1),
    (({"page": "3"},), 3),
    (({"page": "1"},), 1),
    (({"x": "y"},), 1),
    (({"page": 7},), 7),
    (({"page": "10"},), 10),
]

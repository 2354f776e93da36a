"""Unit tests of the blind bug capitalize_first: (arguments, expected result)."""

FUNCTION = "capitalize_first"
LABEL = "excess logic"

TESTS = [
    (("hello",), "Hello"),
    (("hELLO",), "HELLO"),
    (("",), ""),
    (("a",), "A"),
    (("iPhone",), "IPhone"),
    (("nasa API",), "Nasa API"),
]

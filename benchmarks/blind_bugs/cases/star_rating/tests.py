"""Unit tests of the blind bug star_rating: (arguments, expected result)."""

FUNCTION = "stars"
LABEL = "function misuse"

TESTS = [
    ((3.7,), "***+"),
    ((3.2,), "***"),
    ((0,), ""),
    ((5,), "*****"),
    ((4.5,), "****+"),
    ((0.6,), "+"),
]

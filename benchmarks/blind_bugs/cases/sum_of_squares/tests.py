"""Unit tests of the blind bug sum_of_squares: (arguments, expected result)."""

FUNCTION = "sum_of_squares"
LABEL = "value misuse"

TESTS = [
    (([1, 2],), 5),
    (([],), 0),
    (([3],), 9),
    (([-2],), 4),
    (([1, 1, 1],), 3),
    (([0, 5],), 25),
]

"""Unit tests of the blind bug all_positive: (arguments, expected result)."""

FUNCTION = "all_positive"
LABEL = "function misuse"

TESTS = [
    (([1, 2],), True),
    (([1, -1],), False),
    (([],), True),
    (([-1],), False),
    (([5],), True),
    (([0, 3],), False),
]

"""Unit tests of the blind bug is_prime: (arguments, expected result)."""

FUNCTION = "is_prime"
LABEL = "excess logic"

TESTS = [
    ((2,), True),
    ((3,), True),
    ((4,), False),
    ((1,), False),
    ((17,), True),
    ((25,), False),
    ((0,), False),
    ((97,), True),
]

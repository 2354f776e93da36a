"""Unit tests of the blind bug fizzbuzz: (arguments, expected result)."""

FUNCTION = "fizzbuzz"
LABEL = "missing logic"

TESTS = [
    ((3,), "Fizz"),
    ((5,), "Buzz"),
    ((15,), "FizzBuzz"),
    ((7,), "7"),
    ((30,), "FizzBuzz"),
    ((9,), "Fizz"),
    ((1,), "1"),
]

"""Unit tests of the blind bug remove_vowels: (arguments, expected result)."""

FUNCTION = "remove_vowels"
LABEL = "value misuse"

TESTS = [
    (("hello",), "hll"),
    (("Queue",), "Q"),
    (("",), ""),
    (("xyz",), "xyz"),
    (("AEIOU",), ""),
    (("banana",), "bnn"),
]

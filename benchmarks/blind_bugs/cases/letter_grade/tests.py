"""Unit tests of the blind bug letter_grade: (arguments, expected result)."""

FUNCTION = "letter_grade"
LABEL = "value misuse"

TESTS = [
    ((95,), "A"),
    ((85,), "B"),
    ((72,), "C"),
    ((65,), "D"),
    ((40,), "F"),
    ((70,), "C"),
    ((80,), "B"),
    ((90,), "A"),
]

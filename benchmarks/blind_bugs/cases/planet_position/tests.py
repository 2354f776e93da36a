"""Unit tests of the blind bug planet_position: (arguments, expected result)."""

FUNCTION = "planet_position"
LABEL = "value misuse"

TESTS = [
    (("Earth",), 3),
    (("Jupiter",), 5),
    (("Pluto",), 0),
    (("Neptune",), 8),
    (("Mercury",), 1),
    (("Saturn",), 6),
]

"""Unit tests of the blind bug normalize_angle: (arguments, expected result)."""

FUNCTION = "normalize_angle"
LABEL = "missing logic"

TESTS = [
    ((0,), 0),
    ((90,), 90),
    ((270,), -90),
    ((540,), 180),
    ((-90,), -90),
    ((360,), 0),
    ((181,), -179),
]

"""Unit tests of the blind bug invert_mapping: (arguments, expected result)."""

FUNCTION = "invert"
LABEL = "variable misuse"

TESTS = [
    (({"a": 1},), {1: "a"}),
    (({},), {}),
    (({"x": "y", "z": "w"},), {"y": "x", "w": "z"}),
    (({1: 2, 3: 4},), {2: 1, 4: 3}),
    (({"k": "k"},), {"k": "k"}),
    (({"a": 1, "b": 1},), {1: "b"}),
]

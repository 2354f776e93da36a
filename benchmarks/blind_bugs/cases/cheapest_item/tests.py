"""Unit tests of the blind bug cheapest_item: (arguments, expected result)."""

FUNCTION = "cheapest"
LABEL = "function misuse"

TESTS = [
    (({"a": 3, "b": 1},), "b"),
    (({"x": 5},), "x"),
    (({"p": 2, "q": 2.5, "r": 9},), "p"),
    (({"m": -1, "n": 0},), "m"),
    (({"u": 10, "v": 3, "w": 7},), "v"),
    (({"s": 0.5, "t": 0.25},), "t"),
]

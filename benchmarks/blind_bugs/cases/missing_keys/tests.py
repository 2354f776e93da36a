"""Unit tests of the blind bug missing_keys: (arguments, expected result)."""

FUNCTION = "missing_keys"
LABEL = "operator misuse"

TESTS = [
    (({"a": 1}, ["a", "b"],), ["b"]),
    (({}, ["x"],), ["x"]),
    (({"x": 1}, [],), []),
    (({"a": 1, "b": 2}, ["a", "b"],), []),
    (({"k": 0}, ["k", "j", "i"],), ["j", "i"]),
    (({"a": None}, ["a"],), []),
]

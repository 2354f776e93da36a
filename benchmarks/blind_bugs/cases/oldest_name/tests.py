"""Unit tests of the blind bug oldest_name: (arguments, expected result)."""

FUNCTION = "oldest_name"
LABEL = "value misuse"

TESTS = [
    (([{"name": "a", "age": 3}, {"name": "b", "age": 9}],), "b"),
    (([{"name": "solo", "age": 40}],), "solo"),
    (([{"name": "zed", "age": 1}, {"name": "amy", "age": 50}],), "amy"),
    (([{"name": "m", "age": 20}, {"name": "n", "age": 20}],), "m"),
    (([{"name": "old", "age": 99}, {"name": "young", "age": 9}],), "old"),
    (([{"name": "b", "age": 2}, {"name": "c", "age": 7}, {"name": "a", "age": 5}],), "c"),
]

"""Unit tests of the blind bug mean_of_present: (arguments, expected result)."""

FUNCTION = "mean_of_present"
LABEL = "missing logic"

TESTS = [
    (([1, 2, 3],), 2.0),
    (([None, 4],), 4.0),
    (([],), 0.0),
    (([None],), 0.0),
    (([2, None, 4],), 3.0),
    (([5],), 5.0),
]

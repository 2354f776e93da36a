"""Oracle of the parse_csv_line case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'wrong'
TAGS = ('parsing',)

FUNCTION = "parse_pairs"

def oracle(mod):
    return {"examples": [(("a=1;b=2",), {"a": 1, "b": 2}), (("",), {}), (("x=5;",), {"x": 5})]}

def fresh(mod):
    return [("k=0",), ("p=1;q=2;r=3",), ("zz=10;;",)]

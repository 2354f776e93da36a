"""Oracle of the middle_true_division case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'crash'
TAGS = ()

FUNCTION = "middle"

def oracle(mod):
    return {"failing": Call(([1, 2, 3, 4],)), "examples": [(([9],), 9)]}

def fresh(mod):
    return [([1, 2, 3],), ("abcde",), ([0, 1],)]

"""Oracle of the range_true_division case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'crash'
TAGS = ()

FUNCTION = "first_half"

def oracle(mod):
    return {"failing": Call(([1, 2, 3, 4],)), "examples": [(([],), [])]}

def fresh(mod):
    return [([5, 6, 7],), ([1],), (list(range(10)),)]

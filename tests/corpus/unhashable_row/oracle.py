"""Oracle of the unhashable_row case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'crash'
TAGS = ()

FUNCTION = "unique_rows"

def oracle(mod):
    return {"failing": Call(([[1, 2], [1, 2], [3]],)), "examples": [(([],), [])]}

def fresh(mod):
    return [([[1], [2], [1]],), ([[0, 0]],), ([[5, 6], [6, 5], [5, 6]],)]

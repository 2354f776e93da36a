"""Oracle of the pop_empty_stack case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'crash'
TAGS = ()

FUNCTION = "undo_all"

def oracle(mod):
    return {"failing": Call(([1], 3)), "examples": [(([1, 2, 3], 1), [1, 2]), (([], 0), [])]}

def fresh(mod):
    return [([1, 2], 2), ([5], 0), ([9, 8, 7], 5)]

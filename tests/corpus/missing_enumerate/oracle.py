"""Oracle of the missing_enumerate case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'crash'
TAGS = ()

FUNCTION = "positions"

def oracle(mod):
    return {"failing": Call(([5, 3, 5], 5)), "examples": [(([], 1), [])]}

def fresh(mod):
    return [([1, 2, 1, 2], 2), ([7], 7), ([4, 4, 4], 3)]

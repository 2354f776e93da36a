"""Oracle of the fib_unreachable_base case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'crash'
TAGS = ('recursive',)

FUNCTION = "fib"

def oracle(mod):
    return {"failing": Call((5,)), "examples": [((1,), 1), ((2,), 1), ((7,), 13), ((0,), 0)]}

def fresh(mod):
    return [(n,) for n in range(0, 15)]

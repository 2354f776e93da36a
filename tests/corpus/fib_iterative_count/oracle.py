"""Oracle of the fib_iterative_count case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'wrong'
TAGS = ()

FUNCTION = "fib_iter"

def oracle(mod):
    return {"examples": [((0,), 0), ((1,), 1), ((2,), 1), ((6,), 8)]}

def fresh(mod):
    return [(n,) for n in range(0, 30)]

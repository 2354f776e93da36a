"""Oracle of the fast_power_accumulate case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'wrong'
TAGS = ()

FUNCTION = "power"

def oracle(mod):
    return {"examples": [((2, 10), 1024), ((3, 0), 1), ((5, 1), 5), ((2, 3), 8)]}

def fresh(mod):
    return [(b, e) for b in range(0, 6) for e in range(0, 9)]

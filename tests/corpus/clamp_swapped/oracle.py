"""Oracle of the clamp_swapped case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'wrong'
TAGS = ('arithmetic',)

FUNCTION = "clamp"

def oracle(mod):
    return {"examples": [((5, 0, 10), 5), ((-3, 0, 10), 0), ((12, 0, 10), 10), ((1, 1, 1), 1)]}

def fresh(mod):
    return [(x, 2, 8) for x in range(-3, 13)]

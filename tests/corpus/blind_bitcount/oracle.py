"""Oracle of the blind_bitcount case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'wrong'
TAGS = ('blind',)

FUNCTION = "bit_count"

def oracle(mod):
    return {"examples": [((0,), 0), ((1,), 1), ((7,), 3), ((8,), 1)]}

def fresh(mod):
    return [(n,) for n in range(0, 300, 7)]

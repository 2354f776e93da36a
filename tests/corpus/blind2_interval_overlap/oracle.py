"""Oracle of the blind2_interval_overlap case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'wrong'
TAGS = ('blind2',)

FUNCTION = "overlaps"

def oracle(mod):
    return {"examples": [(((1, 3), (2, 4)), True), (((1, 2), (3, 4)), False), (((3, 4), (1, 3)), True), (((5, 6), (1, 2)), False)]}

def fresh(mod):
    return [((a, a + 2), (b, b + 1)) for a in range(0, 5) for b in range(0, 6)]

"""Oracle of the blind_gcd_args case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'crash'
TAGS = ('blind', 'recursive')

FUNCTION = "gcd_rec"

def oracle(mod):
    return {"failing": Call((12, 18)), "examples": [((5, 0), 5), ((7, 7), 7)]}

def fresh(mod):
    return [(a, b) for a in (1, 9, 30, 64) for b in (1, 6, 21, 48)]

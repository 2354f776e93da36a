"""Oracle of the blind_attr_rename case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'crash'
TAGS = ('blind',)

FUNCTION = "manhattan"

def oracle(mod):
    P = mod.Point
    return {"failing": Call((P(0, 0), P(1, 2))), "examples": [((P(1, 1), P(1, 1)), 0)]}

def fresh(mod):
    P = mod.Point
    return [(P(3, 4), P(0, 0)), (P(-1, 5), P(2, -2))]

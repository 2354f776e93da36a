"""Oracle of the hanoi_moves case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'wrong'
TAGS = ('recursive',)

FUNCTION = "hanoi"

def oracle(mod):
    return {"examples": [((1,), [("A", "C")]), ((2,), [("A", "B"), ("A", "C"), ("B", "C")]), ((0,), [])]}

def fresh(mod):
    return [(n,) for n in range(3, 7)]

"""Oracle of the gcd_wrong_return case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'wrong'
TAGS = ()

FUNCTION = "gcd"

def oracle(mod):
    return {"examples": [((12, 18), 6), ((7, 5), 1), ((0, 4), 4), ((9, 0), 9)]}

def fresh(mod):
    rng = random.Random(5)
    return [(rng.randint(0, 200), rng.randint(0, 200)) for _ in range(30)]

"""Oracle of the argmax_range case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'wrong'
TAGS = ()

FUNCTION = "argmax"

def oracle(mod):
    return {"examples": [(([1, 3, 2],), 1), (([1, 2, 9],), 2), (([4],), 0), (([5, 1],), 0)]}

def fresh(mod):
    rng = random.Random(41)
    return [([rng.randint(0, 20) for _ in range(rng.randint(1, 8))],) for _ in range(40)]

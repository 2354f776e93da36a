"""Oracle of the blind_lis case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'wrong'
TAGS = ('blind',)

FUNCTION = "longest_increasing"

def oracle(mod):
    return {"examples": [(([1, 2, 3],), 3), (([3, 2, 1],), 1), (([],), 0), (([1, 5, 2, 6],), 3)]}

def fresh(mod):
    rng = random.Random(57)
    return [([rng.randint(0, 9) for _ in range(rng.randint(0, 9))],) for _ in range(40)]

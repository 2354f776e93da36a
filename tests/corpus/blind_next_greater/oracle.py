"""Oracle of the blind_next_greater case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'wrong'
TAGS = ('blind',)

FUNCTION = "next_greater"

def oracle(mod):
    return {"examples": [(([2, 1, 3],), [3, 3, -1]), (([],), []), (([5, 4],), [-1, -1]), (([1, 2],), [2, -1])]}

def fresh(mod):
    rng = random.Random(59)
    return [([rng.randint(0, 9) for _ in range(rng.randint(0, 8))],) for _ in range(40)]

"""Oracle of the blind_first_occurrence case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'wrong'
TAGS = ('blind',)

FUNCTION = "first_index"

def oracle(mod):
    return {"examples": [(([1, 2, 2, 3], 2), 1), (([], 1), -1), (([5], 5), 0), (([1, 3], 2), -1)]}

def fresh(mod):
    rng = random.Random(51)
    return [(sorted(rng.choice(range(6)) for _ in range(rng.randint(0, 8))), rng.randint(0, 6)) for _ in range(40)]

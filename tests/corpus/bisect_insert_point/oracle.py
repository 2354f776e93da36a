"""Oracle of the bisect_insert_point case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'wrong'
TAGS = ()

FUNCTION = "insert_sorted"

def oracle(mod):
    return {"examples": [(([1, 3], 2), [1, 2, 3]), (([], 1), [1]), (([1, 2], 3), [1, 2, 3]), (([5], 0), [0, 5])]}

def fresh(mod):
    rng = random.Random(43)
    return [(sorted(rng.sample(range(40), rng.randint(0, 8))), rng.randint(0, 40)) for _ in range(40)]

"""Oracle of the blind2_dedupe_order case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'wrong'
TAGS = ('blind2',)

FUNCTION = "dedupe"

def oracle(mod):
    return {"examples": [(([1, 2, 1, 3],), [1, 2, 3]), (([],), []), ((["a", "a"],), ["a"])]}

def fresh(mod):
    rng = random.Random(71)
    return [([rng.randint(0, 4) for _ in range(rng.randint(0, 8))],) for _ in range(30)]

"""Oracle of the merge_leftover case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'wrong'
TAGS = ()

FUNCTION = "merge"

def oracle(mod):
    return {"examples": [(([1, 4], [2, 3]), [1, 2, 3, 4]), (([5], []), [5]), (([], [1]), [1]), (([2, 9], [1]), [1, 2, 9])]}

def fresh(mod):
    rng = random.Random(2)
    return [(sorted(rng.sample(range(30), rng.randint(0, 6))), sorted(rng.sample(range(30), rng.randint(0, 6)))) for _ in range(30)]

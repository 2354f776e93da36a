"""Oracle of the binary_search_loop_bound case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'wrong'
TAGS = ()

FUNCTION = "binary_search"

def oracle(mod):
    return {"examples": [(([1, 3, 5, 7], 7), 3), (([1, 3, 5, 7], 1), 0), (([2], 2), 0), (([], 1), -1), (([1, 3], 2), -1), (([1, 3, 5], 3), 1)]}

def fresh(mod):
    rng = random.Random(11)
    out = []
    for _ in range(40):
        xs = sorted(rng.sample(range(50), rng.randint(0, 12)))
        out.append((xs, rng.randint(0, 50)))
    return out

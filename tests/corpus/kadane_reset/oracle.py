"""Oracle of the kadane_reset case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'wrong'
TAGS = ()

FUNCTION = "max_subarray"

def oracle(mod):
    return {"examples": [(([1, -2, 3, 4],), 7), (([-3, -1, -2],), -1), (([5],), 5), (([-2, 1],), 1)]}

def fresh(mod):
    rng = random.Random(8)
    return [([rng.randint(-10, 10) for _ in range(rng.randint(1, 9))],) for _ in range(40)]

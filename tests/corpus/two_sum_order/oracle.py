"""Oracle of the two_sum_order case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'wrong'
TAGS = ()

FUNCTION = "two_sum"

def oracle(mod):
    return {"examples": [(([2, 7, 11], 9), (0, 1)), (([3, 3], 6), (0, 1)), (([1, 5], 10), None), (([4, 1, 2], 8), None), (([1, 2, 3], 4), (0, 2))]}

def fresh(mod):
    rng = random.Random(29)
    return [([rng.randint(0, 9) for _ in range(5)], rng.randint(0, 18)) for _ in range(40)]

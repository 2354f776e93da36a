"""Oracle of the knapsack_capacity case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'wrong'
TAGS = ()

FUNCTION = "knapsack"

def oracle(mod):
    return {"examples": [(([(2, 3), (3, 4)], 5), 7), (([(1, 1)], 1), 1), (([(5, 10)], 4), 0), (([(2, 5), (2, 6)], 2), 6)]}

def fresh(mod):
    rng = random.Random(12)
    return [([(rng.randint(1, 6), rng.randint(1, 9)) for _ in range(rng.randint(0, 5))], rng.randint(0, 12)) for _ in range(40)]

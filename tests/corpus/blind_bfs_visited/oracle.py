"""Oracle of the blind_bfs_visited case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'wrong'
TAGS = ('blind',)

FUNCTION = "path_exists"

def oracle(mod):
    return {"examples": [(({1: [2], 2: [1, 3]}, 1, 3), True), (({1: [2], 2: [1]}, 1, 3), False), (({}, 1, 1), True)]}

def fresh(mod):
    rng = random.Random(53)
    out = []
    for _ in range(20):
        n = rng.randint(1, 6)
        g = {i: [rng.randrange(n) for _ in range(rng.randint(0, 3))] for i in range(n)}
        out.append((g, 0, rng.randrange(n + 1)))
    return out

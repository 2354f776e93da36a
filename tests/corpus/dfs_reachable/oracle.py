"""Oracle of the dfs_reachable case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'wrong'
TAGS = ('graph',)

FUNCTION = "reachable"

def oracle(mod):
    return {"examples": [(({1: [2], 2: [3]}, 1), {1, 2, 3}), (({}, 5), {5}), (({1: [1]}, 1), {1})]}

def fresh(mod):
    rng = random.Random(6)
    out = []
    for _ in range(25):
        nodes = list(range(rng.randint(1, 8)))
        out.append(({n: rng.sample(nodes, rng.randint(0, min(2, len(nodes)))) for n in nodes}, 0))
    return out

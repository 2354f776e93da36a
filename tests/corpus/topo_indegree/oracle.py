"""Oracle of the topo_indegree case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'wrong'
TAGS = ('graph',)

FUNCTION = "topo_order"

def oracle(mod):
    return {"examples": [(({"a": ["b"], "b": []},), ["a", "b"]), (({"a": ["b", "c"], "b": ["c"], "c": []},), ["a", "b", "c"]), (({},), [])]}

def fresh(mod):
    rng = random.Random(21)
    out = []
    for _ in range(20):
        n = rng.randint(1, 7)
        out.append(({i: [j for j in range(i + 1, n) if rng.random() < 0.3] for i in range(n)},))
    return out

"""Oracle of the dijkstra_relax case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'wrong'
TAGS = ('graph',)

FUNCTION = "shortest"

def oracle(mod):
    return {"examples": [(({"a": [("b", 1), ("c", 5)], "b": [("c", 1)]}, "a"), {"a": 0, "b": 1, "c": 2}), (({}, "z"), {"z": 0}), (({"a": [("b", 2)]}, "a"), {"a": 0, "b": 2})]}

def fresh(mod):
    rng = random.Random(31)
    out = []
    for _ in range(25):
        n = rng.randint(1, 6)
        g = {i: [(rng.randrange(n), rng.randint(1, 9)) for _ in range(rng.randint(0, 3))] for i in range(n)}
        out.append((g, 0))
    return out

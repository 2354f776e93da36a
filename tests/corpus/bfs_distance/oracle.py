"""Oracle of the bfs_distance case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'wrong'
TAGS = ('graph',)

FUNCTION = "distances"

def oracle(mod):
    return {"examples": [(({"a": ["b"], "b": ["c"]}, "a"), {"a": 0, "b": 1, "c": 2}), (({}, "x"), {"x": 0}), (({"a": ["b", "c"]}, "a"), {"a": 0, "b": 1, "c": 1})]}

def fresh(mod):
    rng = random.Random(4)
    out = []
    for _ in range(25):
        nodes = list(range(rng.randint(1, 7)))
        g = {n: rng.sample(nodes, rng.randint(0, len(nodes))) for n in nodes}
        out.append((g, 0))
    return out

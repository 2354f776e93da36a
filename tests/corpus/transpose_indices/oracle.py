"""Oracle of the transpose_indices case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'wrong'
TAGS = ()

FUNCTION = "transpose"

def oracle(mod):
    return {"examples": [(([[1, 2], [3, 4]],), [[1, 3], [2, 4]]), (([[1, 2, 3]],), [[1], [2], [3]]), (([],), [])]}

def fresh(mod):
    rng = random.Random(19)
    return [([[rng.randint(0, 9) for _ in range(c)] for _ in range(r)],) for r in range(1, 4) for c in range(1, 4)]

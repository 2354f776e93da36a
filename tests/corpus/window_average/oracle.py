"""Oracle of the window_average case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'wrong'
TAGS = ()

FUNCTION = "moving_average"

def oracle(mod):
    return {"examples": [(([1, 2, 3, 4], 2), [1.5, 2.5, 3.5]), (([5], 1), [5.0]), (([2, 4, 6], 3), [4.0])]}

def fresh(mod):
    rng = random.Random(23)
    return [([rng.randint(0, 9) for _ in range(6)], k) for k in (1, 2, 3, 4)]

"""Oracle of the quicksort_drops_equal case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'wrong'
TAGS = ('recursive',)

FUNCTION = "quicksort"

def oracle(mod):
    return {"examples": [(([3, 1, 2],), [1, 2, 3]), (([2, 2, 1],), [1, 2, 2]), (([],), []), (([5, 5],), [5, 5])]}

def fresh(mod):
    rng = random.Random(13)
    return [([rng.randint(0, 5) for _ in range(rng.randint(0, 9))],) for _ in range(30)]

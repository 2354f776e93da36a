"""Oracle of the insertion_sort_bound case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'wrong'
TAGS = ()

FUNCTION = "insertion_sort"

def oracle(mod):
    return {"examples": [(([3, 1, 2],), [1, 2, 3]), (([],), []), (([2, 1],), [1, 2]), (([1, 2, 3],), [1, 2, 3])]}

def fresh(mod):
    rng = random.Random(3)
    return [([rng.randint(-9, 9) for _ in range(rng.randint(0, 10))],) for _ in range(30)]

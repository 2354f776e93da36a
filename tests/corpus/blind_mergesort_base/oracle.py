"""Oracle of the blind_mergesort_base case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'wrong'
TAGS = ('blind', 'recursive')

FUNCTION = "merge_sort"

def oracle(mod):
    return {"examples": [(([3, 1, 2],), [1, 2, 3]), (([],), []), (([1],), [1]), (([2, 2, 1],), [1, 2, 2])]}

def fresh(mod):
    rng = random.Random(61)
    return [([rng.randint(0, 9) for _ in range(rng.randint(0, 9))],) for _ in range(30)]

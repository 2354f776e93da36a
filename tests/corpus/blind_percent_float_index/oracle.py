"""Oracle of the blind_percent_float_index case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'crash'
TAGS = ('blind',)

FUNCTION = "percentile"

def oracle(mod):
    return {"failing": Call(([5, 1, 3, 2], 50)), "examples": [(([1, 2, 3], 100), 3), (([7], 0), 7)]}

def fresh(mod):
    return [(list(range(10)), p) for p in (0, 10, 25, 90, 100)]

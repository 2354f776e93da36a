"""Oracle of the count_change_ways case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'wrong'
TAGS = ('dp',)

FUNCTION = "count_ways"

def oracle(mod):
    return {"examples": [((4, [1, 2]), 3), ((0, [1]), 1), ((3, [2]), 0), ((5, [1, 2, 5]), 4)]}

def fresh(mod):
    return [(a, c) for a in range(0, 12) for c in ([1, 3], [2, 5], [1, 2, 3])]

"""Oracle of the flatten_extend case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'wrong'
TAGS = ('recursive',)

FUNCTION = "flatten"

def oracle(mod):
    return {"examples": [(([1, [2, [3]]],), [1, 2, 3]), (([],), []), (([[1], 2],), [1, 2])]}

def fresh(mod):
    return [([[[]], 4],), ([1, [2, 3], [[4, [5]]]],), ([[7, 8]],)]

"""Oracle of the pascal_row case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'wrong'
TAGS = ()

FUNCTION = "pascal_row"

def oracle(mod):
    return {"examples": [((0,), [1]), ((1,), [1, 1]), ((3,), [1, 3, 3, 1]), ((4,), [1, 4, 6, 4, 1])]}

def fresh(mod):
    return [(n,) for n in range(0, 15)]

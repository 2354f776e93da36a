"""Oracle of the blind2_paginate case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'wrong'
TAGS = ('blind2',)

FUNCTION = "page"

def oracle(mod):
    return {"examples": [((list(range(10)), 1, 3), [0, 1, 2]), ((list(range(10)), 2, 3), [3, 4, 5]), (([], 1, 5), [])]}

def fresh(mod):
    return [(list(range(20)), n, s) for n in (1, 2, 3, 4) for s in (1, 4, 7)]

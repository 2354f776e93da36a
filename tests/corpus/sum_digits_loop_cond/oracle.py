"""Oracle of the sum_digits_loop_cond case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'wrong'
TAGS = ('arithmetic',)

FUNCTION = "count_digits"

def oracle(mod):
    return {"examples": [((5,), 1), ((12,), 2), ((1000,), 4)]}

def fresh(mod):
    return [(n,) for n in (1, 9, 10, 99, 123456, 100000)]

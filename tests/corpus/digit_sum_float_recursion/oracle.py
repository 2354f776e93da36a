"""Oracle of the digit_sum_float_recursion case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'wrong'
TAGS = ('recursive',)

FUNCTION = "digit_sum"

def oracle(mod):
    return {"examples": [((123,), 6), ((0,), 0), ((9,), 9), ((40,), 4)]}

def fresh(mod):
    return [(n,) for n in (10, 99, 1001, 987654)]

"""Oracle of the is_prime_sqrt_bound case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'wrong'
TAGS = ()

FUNCTION = "is_prime"

def oracle(mod):
    return {"examples": [((2,), True), ((9,), False), ((13,), True), ((1,), False), ((15,), False), ((4,), False)]}

def fresh(mod):
    return [(n,) for n in range(0, 200)]

"""Oracle of the sieve_upper_bound case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'wrong'
TAGS = ()

FUNCTION = "primes_up_to"

def oracle(mod):
    return {"examples": [((10,), [2, 3, 5, 7]), ((2,), [2]), ((9,), [2, 3, 5, 7]), ((25,), [2, 3, 5, 7, 11, 13, 17, 19, 23])]}

def fresh(mod):
    return [(n,) for n in range(2, 60)]

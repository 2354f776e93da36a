"""Oracle of the blind2_generator_skip case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'wrong'
TAGS = ('blind2', 'generator')

FUNCTION = "evens"

def oracle(mod):
    return {"examples": [((5,), [0, 2, 4]), ((0,), []), ((1,), [0])]}

def fresh(mod):
    return [(n,) for n in range(0, 12)]

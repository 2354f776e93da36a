"""Oracle of the blind_method_counter case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'wrong'
TAGS = ('blind', 'method')

FUNCTION = "Counter.add"

def oracle(mod):
    return {"examples": [((mod.Counter(), "a"), 1)]}

def fresh(mod):
    c = mod.Counter()
    return [(c, "x"), (mod.Counter(), "y")]

"""Oracle of the blind_generator_window case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'wrong'
TAGS = ('blind', 'generator')

FUNCTION = "pairs"

def oracle(mod):
    return {"examples": [(([1, 2, 3],), [(1, 2), (2, 3)]), (([],), []), (([1],), [])]}

def fresh(mod):
    return [(list(range(n)),) for n in range(2, 7)]

"""Oracle of the to_binary_digits case: what the function must do, and fresh held-out inputs."""

import random

from selfheal import Call, Example

KIND = 'wrong'
TAGS = ('arithmetic',)

FUNCTION = "to_base"

def oracle(mod):
    return {"examples": [((10, 2), "1010"), ((0, 2), "0"), ((255, 16), "FF"), ((6, 3), "20")]}

def fresh(mod):
    return [(n, b) for n in (1, 7, 31, 100, 4095) for b in (2, 8, 10, 16)]
